-- One active signing key at most. Replicas starting together on a fresh database each created a
-- first key, and two rotations at the same moment each left theirs active: replicas then signed
-- with keys the others had not loaded yet. Extra active keys left by that are retired here (the
-- newest stays), and the index keeps it so.
update signing_keys set retired_at = now()
 where retired_at is null
   and kid <> (select kid from signing_keys where retired_at is null order by created_at desc, kid desc limit 1);

create unique index signing_keys_one_active on signing_keys ((true)) where retired_at is null;
