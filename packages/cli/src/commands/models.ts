import { createReadStream, existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Model, ModelVersion, PredictResponse } from '@opsmesh/contracts';
import { VERSION_PAGE_MAX } from '@opsmesh/contracts/paging';
import { answerError, notTheGateway } from '../api.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { type Context, type Group, str, type Values, versionNumber } from '../command.js';
import { fileSize, readTextFile } from '../input-file.js';
import { ago, formatBytes, table } from '../output.js';
import { PACKAGE_DIR } from '../package-dir.js';
import { peopleOf } from '../people.js';
import { predictRows } from '../predict-input.js';
import { progressBar } from '../progress.js';
import { readStdin } from '../prompt.js';

interface Alias {
  alias: string;
  model: string;
  version: number;
  updatedBy: string;
  updatedAt: string;
}

const modelPath = (name: string) => `/api/ml/models/${encodeURIComponent(name)}`;

/** The model the repository ships (the ML service registers it on first start), where it is. */
const SHIPPED_MODEL = fileURLToPath(
  new URL('../../services/ml-service/models/iris-classifier.onnx', PACKAGE_DIR),
);

/** What an upload needs, naming the shipped model to try it with when this is a checkout. */
function onnxWanted(): string {
  if (!existsSync(SHIPPED_MODEL)) return 'the path of an .onnx file';
  const path = relative(process.cwd(), SHIPPED_MODEL);
  return `the path of an .onnx file (to try an upload, the repository has one: ${path})`;
}

/**
 * Streams a file to the upload route with its length declared, drawing progress as bytes leave;
 * the file is never held in memory whole.
 */
async function streamUpload(
  ctx: Context,
  name: string,
  file: string,
  description?: string,
): Promise<ModelVersion> {
  const size = fileSize(file, onnxWanted());
  const url = new URL(`${ctx.host}${modelPath(name)}/versions`);
  if (description) url.searchParams.set('description', description);
  const api = ctx.api();
  const token = await api.token();
  let answer = await sendFile(ctx, url, token, file, size);
  // A token refused mid-life (revoked, keys rotated): renewed once and the file sent again.
  if (answer.status === 401) {
    const renewed = await api.renew(token);
    if (renewed) answer = await sendFile(ctx, url, renewed, file, size);
  }
  let body: unknown = answer.text;
  if (/json/.test(answer.type)) {
    try {
      body = JSON.parse(answer.text);
    } catch {}
  }
  if (answer.status === 404)
    throw notTheGateway(ctx.host, 'POST', url.pathname, body) ?? answerError(404, body);
  if (answer.status !== 201) throw answerError(answer.status, body);
  return body as ModelVersion;
}

/** One POST of the file's bytes; resolves with the answer, whatever its status. */
function sendFile(
  ctx: Context,
  url: URL,
  token: string,
  file: string,
  size: number,
): Promise<{ status: number; type: string; text: string }> {
  const bar = progressBar(size);
  return new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/octet-stream',
          'content-length': size,
          accept: 'application/json, application/problem+json',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    let answered = false;
    req.on('response', () => {
      answered = true;
    });
    // A refusal sent before the body is all out (413, 401) closes the socket under the upload:
    // the answer is what matters then, not the write error.
    req.on('error', (err) => {
      if (!answered) {
        reject(
          new CliError(
            `Upload to ${ctx.host} failed: ${(err as Error).message}. Is the platform running (npm start)?`,
            EXIT.unreachable,
          ),
        );
      }
    });
    let sent = 0;
    const stream = createReadStream(file);
    stream.on('data', (chunk) => {
      sent += chunk.length;
      bar.update(sent);
    });
    stream.on('end', () => bar.finish());
    stream.on('error', (err) => req.destroy(err));
    stream.pipe(req);
  });
}

/** The rows to predict on, from --input, --file or stdin (`--file -`). */
async function rowsGiven(values: Values): Promise<unknown[]> {
  const inline = str(values, 'input');
  const file = str(values, 'file');
  if (!inline && !file)
    throw usageError(
      "Give the rows with --input '<row | json>' (e.g. --input '5.1 3.5 1.4 0.2') or --file <path> (- for stdin).",
    );
  const source =
    inline ?? (file === '-' ? await readStdin() : readTextFile(file!, 'the path of a JSON file of rows'));
  return predictRows(
    source,
    inline !== undefined ? 'The input' : file === '-' ? 'The standard input' : file!,
  );
}

/**
 * What to do after an upload, as it is: predicting by name serves the `production` alias when the
 * model has one, else its latest version; a promote pins `production`. `production` is the alias's
 * version, null when the model has none, undefined when it could not be read.
 *
 * @example nextSteps('my-iris', 1, null) // ['Predict with it now (by name, a model with no production alias serves its latest version): ...', ...]
 */
export function nextSteps(model: string, version: number, production: number | null | undefined): string[] {
  const promote = `opsmesh models promote ${model} ${version}`;
  const predict = `opsmesh models predict ${model} --input '<row>'`;
  if (production === null) {
    return [
      `Predict with it now (by name, a model with no production alias serves its latest version): ${predict}`,
      `Pin it: ${promote} (by name then serves production, whatever is uploaded later)`,
    ];
  }
  if (production === version) return [`By name, ${model} serves this version (production): ${predict}`];
  const serving = production === undefined ? 'its production alias, if set' : `production (v${production})`;
  return [
    `By name, ${model} serves ${serving}; try this version with: opsmesh models predict ${model} --version ${version} --input '<row>'`,
    `Serve it by name: ${promote}`,
  ];
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export const models: Group = {
  summary: 'the model registry and predictions',
  commands: {
    list: {
      usage: '[--limit <n>]',
      summary: 'List models with their latest version and aliases.',
      options: { limit: { type: 'string' } },
      async run(ctx, values) {
        const body = await ctx.api().request<{ items: Model[]; total: number }>('GET', '/api/ml/models', {
          query: { limit: str(values, 'limit') ?? 100 },
        });
        const who = await peopleOf(
          ctx,
          body.items.map((m) => m.owner),
        );
        ctx.out.result(body, () =>
          body.items.length
            ? table(body.items, [
                { header: 'name', cell: (m) => m.name },
                { header: 'latest', cell: (m) => (m.latestVersion === null ? '-' : `v${m.latestVersion}`) },
                {
                  header: 'aliases',
                  cell: (m) =>
                    Object.entries(m.aliases)
                      .map(([a, v]) => `${a}=v${v}`)
                      .join(' ') || '-',
                },
                { header: 'updated', cell: (m) => ago(m.updatedAt) },
                { header: 'owner', cell: (m) => who(m.owner) },
                { header: 'description', cell: (m) => m.description || '-' },
              ])
            : 'No models yet. Upload one: opsmesh models upload <name> <file.onnx>',
        );
      },
    },
    versions: {
      usage: '<name>',
      summary:
        "List a model's versions, oldest first: aliases, when and by whom each was uploaded, size, sha256, and whether it is loaded.",
      positionals: [1, 1],
      async run(ctx, _values, [name]) {
        const items = await ctx.api().requestAll<ModelVersion>(`${modelPath(name!)}/versions`, 'items', {
          query: { limit: VERSION_PAGE_MAX },
        });
        const who = await peopleOf(
          ctx,
          items.map((v) => v.createdBy),
        );
        ctx.out.result({ items }, () =>
          items.length
            ? table(items, [
                { header: 'version', cell: (v) => `v${v.version}` },
                { header: 'aliases', cell: (v) => v.aliases.join(' ') || '-' },
                { header: 'created', cell: (v) => ago(v.createdAt) },
                { header: 'by', cell: (v) => who(v.createdBy) },
                { header: 'size', cell: (v) => formatBytes(v.sizeBytes) },
                { header: 'sha256', cell: (v) => v.sha256.slice(0, 12) },
                // Loaded on the replica that answered: the first prediction loads a version.
                { header: 'status', cell: (v) => (v.loaded ? 'loaded' : 'not loaded') },
              ])
            : `${name} has no versions yet. Upload one: opsmesh models upload ${name} <file.onnx>`,
        );
      },
    },
    upload: {
      usage: '<name> <file.onnx> [--description <text>]',
      summary:
        'Upload a new version (the model is created on its first upload); a progress bar on a terminal.',
      positionals: [2, 2],
      options: { description: { type: 'string' } },
      async run(ctx, values, [name, file]) {
        const v = await streamUpload(ctx, name!, file!, str(values, 'description'));
        // Which version predicting by name serves now; the upload stands even if this cannot be read.
        const production = ctx.out.json
          ? undefined
          : await ctx
              .api()
              .request<Model>('GET', modelPath(v.model))
              .then((m) => m.aliases['production'] ?? null)
              .catch(() => undefined);
        ctx.out.result(v, () =>
          [
            `Uploaded ${v.model} v${v.version} (${formatBytes(v.sizeBytes)}, sha256 ${v.sha256.slice(0, 12)}).`,
            `  inputs:  ${v.inputs.map((t) => `${t.name} ${t.datatype}[${t.shape.join(',')}]`).join(', ')}`,
            `  outputs: ${v.outputs.map((t) => `${t.name} ${t.datatype}[${t.shape.join(',')}]`).join(', ')}`,
            ...nextSteps(v.model, v.version, production),
          ].join('\n'),
        );
      },
    },
    promote: {
      usage: '<name> <version> [--alias <alias>]',
      summary: 'Point an alias (production unless --alias says) at a version.',
      positionals: [2, 2],
      options: { alias: { type: 'string' } },
      async run(ctx, values, [name, version]) {
        const alias = str(values, 'alias') ?? 'production';
        const a = await ctx
          .api()
          .request<Alias>('PUT', `${modelPath(name!)}/aliases/${encodeURIComponent(alias)}`, {
            body: { version: versionNumber(version!) },
          });
        ctx.out.result(a, () => `${a.model}: ${a.alias} now serves v${a.version}.`);
      },
    },
    rollback: {
      usage: '<name> [--alias <alias>]',
      summary: 'Move an alias (production unless --alias says) back to the version it pointed at before.',
      positionals: [1, 1],
      options: { alias: { type: 'string' } },
      async run(ctx, values, [name]) {
        const alias = str(values, 'alias') ?? 'production';
        const a = await ctx
          .api()
          .request<Alias>('POST', `${modelPath(name!)}/aliases/${encodeURIComponent(alias)}/rollback`);
        ctx.out.result(a, () => `${a.model}: ${a.alias} rolled back to v${a.version}.`);
      },
    },
    predict: {
      usage: "<name> (--input '<row | json>' | --file <path|->) [--alias <alias> | --version <n>]",
      summary:
        'Predict on rows: one row of numbers as in chat (5.1 3.5 1.4 0.2, or 5.1,3.5,1.4,0.2), or JSON: a row ([5.1, 3.5, 1.4, 0.2] or {"feature": value}), a list of rows, or {"instances": [...]}.',
      positionals: [1, 1],
      options: {
        input: { type: 'string' },
        file: { type: 'string' },
        alias: { type: 'string' },
        version: { type: 'string' },
      },
      async run(ctx, values, [name]) {
        const instances = await rowsGiven(values);
        const version = str(values, 'version');
        const r = await ctx.api().request<PredictResponse>('POST', `${modelPath(name!)}/predict`, {
          query: { alias: str(values, 'alias'), version: version && versionNumber(version) },
          body: { instances },
        });
        ctx.out.result(r, () =>
          [
            `${r.model} v${r.version}${r.alias ? ` (${r.alias})` : ''}`,
            table(
              r.predictions.map((p, i) => ({ i, p, label: r.labels?.[i] })),
              [
                { header: 'row', cell: (x) => String(x.i) },
                { header: 'prediction', cell: (x) => show(x.p) },
                ...(r.labels
                  ? [{ header: 'label', cell: (x: { label?: string | number }) => String(x.label ?? '-') }]
                  : []),
              ],
            ),
          ].join('\n'),
        );
      },
    },
  },
};
