# Shared by the admin scripts (sourced, not run). Settings come from the environment:
#   WELLBEING_URL        the server (default http://127.0.0.1:8080)
#   WELLBEING_ADMIN_KEY  an API key with the admin scope
# A request's answer lands in WB_STATUS and WB_BODY; a failure prints the server's
# problem detail (and each listed error) on stderr and exits 1. Keys travel to curl on
# stdin, never on its command line, so they do not show in the process list.
set -euo pipefail

WELLBEING_URL=${WELLBEING_URL:-http://127.0.0.1:8080}
WELLBEING_URL=${WELLBEING_URL%/}
WB_STATUS=
WB_BODY=
WB_PROG=$(basename "$0")

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "$WB_PROG: needs $tool" >&2; exit 2; }
done

# usage_error MESSAGE: a bad command line; prints the script's usage line and exits 2.
usage_error() {
  echo "$WB_PROG: $1" >&2
  usage >&2
  exit 2
}

# wants_help ARGS...: true when the first argument asks for help.
wants_help() {
  [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]
}

require_admin_key() {
  [ -n "${WELLBEING_ADMIN_KEY:-}" ] || usage_error "set WELLBEING_ADMIN_KEY to an API key with the admin scope"
}

# urlencode TEXT: TEXT made safe for a path segment or a query value.
urlencode() {
  jq -rn --arg v "$1" '$v | @uri'
}

# request METHOD PATH KEY [BODY_FILE CONTENT_TYPE]: sends one request; fills
# WB_STATUS and WB_BODY. Exits 1 when the server cannot be reached.
request() {
  local method=$1 path=$2 key=$3 body=${4:-} type=${5:-} out
  local args=(-sS -X "$method" -K - -w '\n%{http_code}')
  if [ -n "$body" ]; then
    args+=(-H "Content-Type: $type" --data-binary "@$body")
  fi
  if ! out=$(printf 'header = "Authorization: Bearer %s"\n' "$key" |
    curl "${args[@]}" "$WELLBEING_URL$path" 2>&1); then
    out=${out##*curl: }
    echo "$WB_PROG: cannot reach $WELLBEING_URL: ${out%%$'\n'*}" >&2
    exit 1
  fi
  WB_STATUS=${out##*$'\n'}
  WB_BODY=${out%$'\n'*}
}

# request_json METHOD PATH JSON: a JSON body with the admin key.
request_json() {
  local tmp
  tmp=$(mktemp)
  printf '%s' "$3" >"$tmp"
  request "$1" "$2" "$WELLBEING_ADMIN_KEY" "$tmp" application/json || { rm -f "$tmp"; exit 1; }
  rm -f "$tmp"
}

# fail: prints the answer's problem detail and each listed error, then exits 1.
fail() {
  local detail
  detail=$(jq -r '.detail // empty' <<<"$WB_BODY" 2>/dev/null || true)
  echo "$WB_PROG: failed: HTTP $WB_STATUS: ${detail:-$WB_BODY}" >&2
  jq -r '.errors[]? | "  "
         + (if .row then "row \(.row)" + (if .field then " \(.field)" else "" end)
            else (.pointer // .field // "body") end)
         + ": \(.message) [\(.code)]"' <<<"$WB_BODY" >&2 2>/dev/null || true
  exit 1
}

# expect STATUS...: fails unless WB_STATUS is one of them.
expect() {
  local s
  for s in "$@"; do
    [ "$WB_STATUS" = "$s" ] && return 0
  done
  fail
}

# field NAME: a value of the answer (jq path, e.g. .id).
field() {
  jq -r "$1" <<<"$WB_BODY"
}
