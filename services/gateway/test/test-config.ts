/** The gateway config the end-to-end tests run with: the real shape, small limits. */
export function testConfig(options: { policy?: 'local' | 'redis'; extraRoutes?: string } = {}): string {
  const policy = options.policy ?? 'local';
  return `format_version: "1"
plugins:
  - name: jwt
  - name: cors
    config: { origins: ["https://console.example"] }
services:
  - name: auth
    upstream: auth-service
    routes:
      - name: auth-login
        paths: [/api/auth/login]
        methods: [POST]
        strip_path: /api/auth
        plugins:
          - name: anonymous
          - name: rate-limit
            config: { policy: ${policy}, limit_by: ip, minute: 3 }
      - name: auth-api
        paths: [/api/auth]
        strip_path: true
  - name: ml
    upstream: ml-service
    read_timeout: 500
    healthchecks:
      passive: { failures: 2, cooldown_ms: 60000 }
      active: { interval_ms: 200, timeout_ms: 1000, failures: 2 }
    routes:
      - name: ml-admin
        paths: [/api/ml/admin]
        strip_path: /api/ml
        plugins:
          - name: jwt
            config: { permission: models:admin }
      - name: ml-transformed
        paths: [/api/ml/t]
        strip_path: /api/ml/t
        plugins:
          - name: request-transformer
            config:
              remove: { headers: [x-drop], querystring: [secret], body: [password] }
              rename: { headers: { x-old: x-new }, querystring: { q: query }, body: { user: username } }
              replace: { headers: { x-mode: replaced }, querystring: { page: "1" }, body: { kind: replaced } }
              add: { headers: { x-added: yes }, querystring: { source: gateway }, body: { via: gateway } }
          - name: response-transformer
            config:
              remove: { headers: [x-internal], body: [secret] }
              rename: { headers: { x-upstream-header: x-renamed }, body: { old: new } }
              replace: { body: { keep: 2 } }
              add: { headers: { x-served-by: gateway }, body: { added: true } }
      - name: ml-limited
        paths: [/api/ml/limited]
        strip_path: /api/ml/limited
        plugins:
          - name: rate-limit
            config: { policy: ${policy}, limit_by: consumer, second: 50, minute: 4 }
      - name: ml-small-body
        paths: [/api/ml/small]
        strip_path: /api/ml/small
        plugins:
          - name: body-limit
            config: { bytes: 1024 }
      - name: ml-api
        paths: [/api/ml]
        strip_path: true
${options.extraRoutes ?? ''}`;
}
