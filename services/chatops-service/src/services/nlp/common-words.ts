/**
 * Common English words and chat shorthand that are never the name of a service or a model, so
 * filling a name slot by position skips them ("current alerts?", "until the deploy is done").
 * General English, independent of the labelled data.
 */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all almost alone along already also although always am among an and another any anybody
anyone anything anyway anywhere are around as ask asked asking asks at away back bad be because been before being below best better
between big both bring but buy by call came can cannot case cause change check come coming could current currently day days
did different do does doing done down during each early either else end enough even ever every everybody everyone
everything everywhere fact far few find fine first for found free from full get gets getting give given go goes going gone
good got great had half happen happened happening has have having he help her here high him his hold home how however i if
important in inside instead into is it its just keep kind know last late later least less let like little long look looking
lot lots low made make many may maybe me mean might mine more morning most much must my myself near need never new next
nice night no nobody none nor not nothing now of off often oh ok okay old on once one only open or other others our out
over own part past people per perhaps place please point pretty probably problem put quick quite rather real really right
same say saw see seem seems seen set several shall she short should show side since small so some somebody someone
something sometimes soon sorry start still stop stuff such sure take tell than thank thanks that the their them then there
these they thing things think this those though through time to today together tomorrow tonight too top toward true try
turn under until up upon us use used using usual very via wait want wanted was way we week weekend well went were what
whatever when where whether which while who whole why will with within without work works would yeah year yes yesterday yet
you your yours asap btw fyi idk imo lol np pls plz rn thx ty u ur ya yep yup nope hey hi hello thing whats hows
bit while sec secs moment mo min noise spam thingy stuff things guy guys shift weekend overnight atm tho
noisy flaky annoying loud spammy chatty nagging pesky nasty ugly dumb stupid silly weird strange odd usual wrong random
recurring repeating lingering stale latest newest oldest earlier previous main primary entire specific particular obvious
known expected false fake actual big huge tiny small quick red yellow orange angry damn darn freaking bloody effing
cursed poor whatever usual rest remainder board dashboard server servers system systems platform stack box
across everywhere overall generally lunch midnight noon eod shift morning afternoon evening
thinks knows says wants needs believes mentions shows prints printed reports logged
sprint retro standup handover handoff handing postmortem review catch wrap
picking picked pick catching caught wrapping wrapped signing signed setting looking following speeding warming
spinning scaling cleaning backing showing heating firing fired global
cleanup backup maintenance rollout reindex checklist compared
ive im youre dont cant thats theres didnt doesnt isnt wont lets hes shes theyre weve wasnt arent shouldnt couldnt
wouldnt hasnt havent itll youll yall aint`.split(/\s+/),
);
