-- Model files live in the database, so every replica can load every version: one row per
-- distinct file (by SHA-256) and its bytes in chunks, written in the same transaction as the
-- first version that uses them. A replica keeps a local cache, checked against the hash on read.
create table ml_blobs (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint not null check (size_bytes > 0),
  chunks integer not null check (chunks > 0),
  created_at timestamptz not null default now()
);

create table ml_blob_chunks (
  sha256 text not null references ml_blobs (sha256) on delete cascade,
  seq integer not null check (seq >= 0),
  data bytea not null,
  primary key (sha256, seq)
);
-- Model weights barely compress: store chunks out of line without trying.
alter table ml_blob_chunks alter column data set storage external;
