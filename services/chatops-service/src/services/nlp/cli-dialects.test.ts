import { describe, expect, it } from 'vitest';
import { ChatopsConfigSchema } from '../../config.js';
import { NlpProcessor } from '../nlp-processor.js';
import { fromCliDialect } from './cli-dialects.js';
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
