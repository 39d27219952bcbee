-- Alert notifications already handled, by the Idempotency-Key their sender gives: a notification
-- sent again (the sender crashed after our answer, another replica of it took over) is answered
-- with the first outcome and not posted twice, whichever replica of this service gets it.
CREATE TABLE chatops_notification_keys (
  key text PRIMARY KEY,
  deliveries jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chatops_notification_keys_received_idx ON chatops_notification_keys (received_at);
