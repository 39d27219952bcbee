import { describe, expect, it } from 'vitest';
import { ChatopsConfigSchema } from '../../config.js';
import { NlpProcessor } from '../nlp-processor.js';
import { fromApiCall, fromCliDialect, fromGit, fromJsonCommand } from './cli-dialects.js';
import { readIntentModel } from './intent-model.js';
import { loadDatasetLexicon } from './utterances.js';

const nlp = NlpProcessor.fromModel(
  readIntentModel(),
  loadDatasetLexicon(),
  ChatopsConfigSchema.properties.NLP_CONFIDENCE_THRESHOLD.default as number,
);
const read = (text: string) => {
  const { intent, entities } = nlp.interpret(text);
  return { intent, entities };
};

describe('fromCliDialect', () => {
  it('rewrites kubectl commands on alerts, silences, models and services into the strict form', () => {
    expect(fromCliDialect('kubectl get alerts -n auth --severity=critical')).toBe(
      'alerts list --service auth --severity critical',
    );
    expect(fromCliDialect('kubectl delete silence/5d2e')).toBe('alerts unsilence --id 5d2e');
    expect(fromCliDialect('kubectl set alias stg model/iris --version=3')).toBe(
      'models promote --version 3 --alias stg --model iris',
    );
    expect(fromCliDialect('kubectl top monitoring --since=2h')).toBe('metrics monitoring --window 2h');
  });

  it('rewrites PowerShell cmdlets by their verb and noun, parameters and pipeline filters included', () => {
    expect(fromCliDialect("New-Silence -Rule HighLatencyP99 -Duration 90m -Comment 'db vacuum'")).toBe(
      "alerts silence --alert HighLatencyP99 --for 90m -m 'db vacuum'",
    );
    expect(fromCliDialect("Get-Alerts | Where-Object { $_.Severity -eq 'warning' }")).toBe(
      'alerts list --severity warning',
    );
    expect(fromCliDialect('Invoke-Prediction -Model iris -Input @(6.1, 2.8, 4.7, 1.2)')).toBe(
      'models predict --model iris --features 6.1,2.8,4.7,1.2',
    );
  });

  it('leaves commands on what this bot has not, and words that only look like a cmdlet', () => {
    for (const text of [
      'kubectl get pods -n ml',
      'kubectl rollout restart deploy/auth',
      'kubectl logs -f auth-7d9c',
      'kubectl top pods -n ml',
      'Restart-Service -Name gateway',
      'Re-Silence the gateway alert for 1h',
      'Un-Mute HighErrorRatio',
      'can you get alerts for auth',
      'kubectl get svc -n gateway',
    ])
      expect(fromCliDialect(text)).toBeUndefined();
  });
});

describe('commands in another tool’s syntax, read', () => {
  it('reads kubectl commands as the same command of this bot', () => {
    expect(read('kubectl get health svc/orders-api')).toEqual({
      intent: 'status',
      entities: { service: 'orders-api' },
    });
    expect(read('kubectl top svc ml --metric=memory --since=4h')).toEqual({
      intent: 'metrics',
      entities: { service: 'ml-service', signal: 'saturation', window: '4h' },
    });
    expect(read('kubectl annotate alert/7b21 ack=true -m "paged db team"')).toEqual({
      intent: 'alerts.ack',
      entities: { alert_id: '7b21', comment: 'paged db team' },
    });
    expect(read('kubectl rollout undo model/churn --alias=champion --to-revision=4')).toEqual({
      intent: 'models.rollback',
      entities: { model: 'churn-predictor', alias: 'champion', version: 4 },
    });
    expect(read('kubectl get events --user=lena --since=3h')).toEqual({
      intent: 'history',
      entities: { user: 'lena', window: '3h' },
    });
    expect(read('kubectl auth can-i rollback models')).toEqual({ intent: 'whoami', entities: {} });
    expect(read('kubectl promote --help')).toEqual({ intent: 'help', entities: {} });
    expect(read('kubectl get pods -n ml').intent).toBe('unknown');
  });

  it('reads PowerShell cmdlets as the same command of this bot', () => {
    expect(read('Get-ServiceHealth -Name auth')).toEqual({
      intent: 'status',
      entities: { service: 'auth-service' },
    });
    expect(read('Remove-Silence -Id 3c4d -Comment "window over"')).toEqual({
      intent: 'alerts.unsilence',
      entities: { silence_id: '3c4d', comment: 'window over' },
    });
    expect(read("Publish-ModelVersion -Model fraud -Version 12 -To canary -m 'recall up 3%'")).toEqual({
      intent: 'models.promote',
      entities: { model: 'fraud-detector', version: 12, alias: 'canary', comment: 'recall up 3%' },
    });
    expect(read('Get-AuditLog -User Omar -Window 6h')).toEqual({
      intent: 'history',
      entities: { user: 'omar', window: '6h' },
    });
    expect(read('Get-Command')).toEqual({ intent: 'help', entities: {} });
    // A note keeps its apostrophes.
    expect(read('New-Silence -Rule ServiceDown -Duration 1h -Comment "don\'t page me"').entities).toEqual({
      alert: 'ServiceDown',
      duration: '1h',
      comment: "don't page me",
    });
    expect(read('kubectl ack alert/4f2b -m "it\'s the db"').entities).toEqual({
      alert_id: '4f2b',
      comment: "it's the db",
    });
    expect(read('Get-Permission')).toEqual({ intent: 'whoami', entities: {} });
  });
});

describe('calls to the API, JSON commands and git', () => {
  it("rewrites a call to this bot's API by its method, path, query, form or JSON body", () => {
    expect(fromApiCall('POST /alerts/7c1d/ack')).toBe('alerts ack --id 7c1d');
    expect(fromApiCall('GET /alerts?severity=warning&svc=billing-api')).toBe(
      'alerts list --severity warning --service billing-api',
    );
    expect(fromApiCall('curl -X DELETE opsmesh/silences/sil_3k9p | jq .status')).toBe(
      'alerts unsilence --id sil_3k9p',
    );
    expect(fromApiCall(`curl -X POST opsmesh/silence -d 'id=7c1d&for=45m'`)).toBe(
      'alerts silence --id 7c1d --for 45m',
    );
    expect(fromApiCall('POST /models/churn-predictor/aliases/canary {"version": 11}')).toBe(
      'models promote --version 11 --alias canary --model churn-predictor',
    );
    // A call to anything else is not read as one.
    expect(fromApiCall('curl -s https://status.example.com/api/v2/summary.json')).toBeUndefined();
    expect(fromApiCall('GET /pods')).toBeUndefined();
    expect(fromApiCall('curl -s https://status.example.com/api/status')).toBeUndefined();
    // A broken escape in a query is read as typed, never thrown.
    expect(fromApiCall('GET /alerts?svc=%E0%A4%A')).toBe('alerts list --service %E0%A4%A');
  });

  it('rewrites a JSON object of one command key, its value the main argument', () => {
    expect(fromJsonCommand('{"ack": "7c1d", "reason": "db failover"}')).toBe(
      "alerts ack -m 'db failover' --id 7c1d",
    );
    expect(fromJsonCommand('{"history": {"user": "ana", "window": "6h"}}')).toBe(
      'history --user ana --window 6h',
    );
    expect(fromJsonCommand('{"whoami": true}')).toBe('whoami');
    expect(fromJsonCommand('{"ack": 1, "silence": 2}')).toBeUndefined();
    expect(fromJsonCommand('{"name": "x"}')).toBeUndefined();
  });

  it('rewrites git commands on a model into words, and leaves git on anything else', () => {
    const model = (text: string) => /churn/.test(text);
    expect(fromGit('git revert churn-predictor@v12', model)).toBe('rollback churn-predictor');
    expect(fromGit('git reset --hard churn-predictor@v11 on prod', model)).toBe(
      'rollback churn-predictor to v11 on prod',
    );
    expect(fromGit('git merge churn-predictor/v13 into canary', model)).toBe(
      'promote churn-predictor v13 to canary',
    );
    expect(fromGit('git log --author=ana --since="6 hours"', model)).toBe(
      'history of ana for the last 6 hours',
    );
    expect(fromGit('git revert HEAD~2', model)).toBeUndefined();
    expect(fromGit('git push origin main', model)).toBeUndefined();
  });

  it('reads them as the same command of this bot', () => {
    expect(read('curl -X POST opsmesh/alerts/7c1d/ack -d \'{"comment": "db failover"}\'')).toEqual({
      intent: 'alerts.ack',
      entities: { alert_id: '7c1d', comment: 'db failover' },
    });
    expect(read('curl -s "opsmesh/metrics?svc=billing-api&sig=p95&win=6h" | jq .value')).toEqual({
      intent: 'metrics',
      entities: { service: 'billing-api', signal: 'latency_p95', window: '6h' },
    });
    expect(read('{"silence": {"alert_id": "#2,048", "duration": "PT30M"}}')).toEqual({
      intent: 'alerts.silence',
      entities: { alert_id: '2048', duration: '30m' },
    });
    expect(read('GET /me').intent).toBe('whoami');
  });
});
