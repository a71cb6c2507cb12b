#!/usr/bin/env bash
# Runs the curl and HTTPie examples of README.md, as written, against a real server: the
# server from the sources on embedded PostgreSQL in a temporary DATA_DIR, on a free port.
# Every example must answer 2xx. HTTPie blocks are skipped, with a message, where `http` is absent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "readme-examples: $tool is required" >&2; exit 1; }
done
has_httpie=false
if command -v http >/dev/null; then has_httpie=true; else echo "readme-examples: HTTPie (http) is not installed: its examples are skipped"; fi

# The README's code blocks that call the API, one file each, in order.
awk -v dir="$work" '
  /^```bash$/ { n++; block = ""; inside = 1; next }
  /^```$/ && inside { inside = 0; if (block ~ /(^|\n|\$\()(curl|http) /) { file = sprintf("%s/block-%02d.sh", dir, n); printf "%s", block > file; close(file) } ; next }
  inside { block = block $0 "\n" }
' "$root/README.md"

# env execs node, so $! is the server itself, which the cleanup stops.
cd "$root"
env -u DATABASE_URL -u REDIS_URL NODE_ENV=development LOG_LEVEL=info HOST=127.0.0.1 PORT=0 \
  DATA_DIR="$work/data" UPLOAD_DIR="$work/images" node --import tsx src/server.ts >"$work/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 300); do
  port=$(grep -o 'listening at http://127\.0\.0\.1:[0-9]*' "$work/server.log" | head -n 1 | sed 's/.*://') || true
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then echo "readme-examples: the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; fi
echo "readme-examples: server on port $port"

# The examples' `localhost:3000` and HTTPie's `:3000` point at this server; failures are failures.
curl() { command curl --fail-with-body --show-error --write-out '\n' "$@"; }
http() { command http --check-status --ignore-stdin --print=b "$@"; }

# The pictures examples upload ./me.jpg.
(node -e "require('sharp')({ create: { width: 64, height: 48, channels: 3, background: '#3a7bd5' } }).jpeg().toFile(process.argv[1])" "$work/me.jpg")
cd "$work"

curls=0
https=0
for block in "$work"/block-*.sh; do
  if grep -qE '^http ' "$block"; then
    if ! $has_httpie; then
      # The HTTPie "Try it" block registers user 2, whom the later examples follow.
      if grep -q 'auth/register' "$block"; then
        curl -s -X POST "127.0.0.1:$port/auth/register" -H 'content-type: application/json' \
          -d '{"username":"bob","password":"correct horse"}' >/dev/null
      fi
      continue
    fi
    https=$((https + $(grep -cE '^http ' "$block")))
  fi
  curls=$((curls + $(grep -cE '(^|\$\()curl ' "$block" || true)))
  echo "readme-examples: $(basename "$block")"
  sed -e "s/localhost:3000/127.0.0.1:$port/g" -e "s/ :3000\\([/ ]\\)/ 127.0.0.1:$port\\1/g" "$block" >"$block.run"
  # shellcheck disable=SC1090
  source "$block.run"
  echo
done
echo "readme-examples: ran $curls curl and $https HTTPie examples"
