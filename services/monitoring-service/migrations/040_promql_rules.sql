-- Rules are PromQL now (spec.expr is a string). Specs stored in the earlier shape (expr an object
-- with op and threshold) are converted to the same PromQL by the service when it starts.
-- A firing alert held by its rule's keep_firing_for remembers since when, so the replica that
-- takes evaluation over releases it on time.
ALTER TABLE monitoring_alerts ADD COLUMN keep_firing_since timestamptz;
