import { describe, expect, it } from 'vitest';
import { keyboardForm } from './spoken-forms.js';

describe('keyboardForm', () => {
  it('types symbols, letters and ids said aloud', () => {
    expect(keyboardForm('show history for at sign marco underscore b')).toBe('show history for @marco_b');
    expect(keyboardForm('user at sign priya dot k')).toBe('user @priya.k');
    expect(keyboardForm('remove silence s i l underscore nine b two e')).toBe('remove silence sil_9b2e');
    expect(keyboardForm("what's the q p s on the gateway")).toBe("what's the qps on the gateway");
    expect(keyboardForm('list the P one alerts')).toBe('list the P1 alerts');
    expect(keyboardForm('versions of basket dash recommender')).toBe('versions of basket-recommender');
    // After a number or an alias, a said dash starts a note.
    expect(keyboardForm('ack alert eight three one dash cert rotation')).toBe(
      'ack alert eight three one - cert rotation',
    );
    expect(keyboardForm('roll back iris on canary dash accuracy regression')).toBe(
      'roll back iris on canary - accuracy regression',
    );
  });

  it('reads the NATO alphabet only in a message about linking', () => {
    expect(keyboardForm('link my account code alpha seven bravo two')).toBe(
      'link my account code a seven b two',
    );
    expect(keyboardForm('show history four mike')).toBe('show history four mike');
    // Spelt characters keep their own words ("p three" inside a code is no severity).
    expect(keyboardForm('link with code h nine p three w seven m two')).toBe(
      'link with code h nine p three w seven m two',
    );
  });

  it('types full-width punctuation as ASCII', () => {
    expect(keyboardForm('roll it back？ （reason: wrong schema）')).toBe(
      'roll it back? (reason: wrong schema)',
    );
    expect(keyboardForm('values: 0.5、2、1')).toBe('values: 0.5, 2, 1');
    expect(keyboardForm('The reason is 「better recall」')).toBe('The reason is "better recall"');
  });

  it('drops the headers, rules and signature of a forwarded email or ticket', () => {
    expect(
      keyboardForm(
        '-----Original Message-----\nFrom: CAB\nSubject: CHG-1183 approved\n\nPls silence gateway alerts for 90 minutes.',
      ).trim(),
    ).toBe('Pls silence gateway alerts for 90 minutes.');
    expect(keyboardForm('Please action: expire silence sil_0d4c\n--\nChange Management Bot')).toBe(
      'please expire silence sil_0d4c\n',
    );
    expect(keyboardForm('ack 5009 — on it\n\nThis is an automated message from ServiceNow.').trim()).toBe(
      'ack 5009 — on it',
    );
    // One line keeps its words: "To:" may be a field of the command.
    expect(keyboardForm('promote iris v3 to: staging')).toBe('promote iris v3 to: staging');
  });

  it('drops spoken filler and wake words, and sets swapped letters of common words back', () => {
    expect(
      keyboardForm("hey opsmesh, um, go ahead and ack the alert on ml, because I'm on it. that's all"),
    ).toBe("ack the alert on ml, because I'm on it");
    expect(keyboardForm('whta did i rnu in teh lsat hour')).toBe('what did i run in the last hour');
    expect(keyboardForm('shwo me recnet alrets')).toBe('show me recent alerts');
    // Only an adjacent swap of a known word: "umbrella" keeps its "um", "form" its letters.
    expect(keyboardForm('the umbrella form is here')).toBe('the umbrella form is here');
  });

  it('reads a markdown table row as its values, and a request around a helper verb as the request', () => {
    expect(keyboardForm('| amount | hour |\n|---|---|\n| 980 | 3 |').replace(/\s+/g, ' ').trim()).toBe(
      'amount hour 980 3',
    );
    expect(keyboardForm('please help to unsilence QueueBacklogGrowing')).toBe(
      'please unsilence QueueBacklogGrowing',
    );
    expect(keyboardForm('can help me ack 3e8b?')).toBe('please ack 3e8b?');
    expect(keyboardForm('could you switch the model server alarms back on?')).toBe(
      'could you unmute the model server alarms ?',
    );
    expect(keyboardForm('Item 3: Specify the parameters')).toBe('Specify the parameters');
  });

  it('reads texting spellings of days as days', () => {
    expect(keyboardForm('what did @lena run 2day')).toBe('what did @lena run today');
  });

  it('reads a checkpoint as a model version, numbers put into a model as fed to it, and vague names of models', () => {
    expect(keyboardForm('drop checkpoint 2 of iris')).toBe('drop model version 2 of iris');
    expect(keyboardForm('unsilence it - checkpoint 12 rolled out clean')).toBe(
      'unsilence it - checkpoint 12 rolled out clean',
    );
    expect(keyboardForm('put those values through the fraud one: 1, 2, 3')).toBe(
      'feed those values into the fraud one: 1, 2, 3',
    );
    expect(keyboardForm('which scoring things do we run?')).toBe('which scoring models do we run?');
    expect(keyboardForm('whose tracks cross the last week?')).toBe('who did what cross the last week?');
  });
});
