import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import ort from 'onnxruntime-node';

/**
 * The server a user would write instead of running opsmesh: node:http, one InferenceSession
 * with the runtime's default options, V2-shaped JSON in and out, no batching, no auth, no
 * logging. bench/ml/run.ts starts it in its own process on the same model and compares.
 *
 *   MODEL_PATH=model.onnx PORT=9000 node --import tsx bench/ml/peer-server.ts
 */

interface V2Input {
  name: string;
  shape: number[];
  data: unknown[];
}

const session = await ort.InferenceSession.create(await readFile(process.env['MODEL_PATH'] ?? ''));

const server = createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ready":true}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { inputs: V2Input[] };
      const feeds: Record<string, ort.Tensor> = {};
      for (const input of body.inputs) {
        const flat = (input.data as number[]).flat(Number.POSITIVE_INFINITY) as number[];
        feeds[input.name] = new ort.Tensor('float32', Float32Array.from(flat), input.shape);
      }
      const results = await session.run(feeds);
      const outputs = Object.entries(results).map(([name, t]) => ({
        name,
        datatype: 'FP32',
        shape: t.dims,
        data: Array.from(t.data as Float32Array),
      }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ model_name: 'peer', outputs }));
    } catch (err) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: (err as Error).message }));
    }
  });
});
server.listen(Number(process.env['PORT']), process.env['HOST'] ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
