#!/usr/bin/env bash
# bench/translate.sh BASE: publishes a German translation of the seed guide
# through the admin API (the path editors use), every text marked so the
# bytes differ from the source. Needs VERDICT_LOCALES to list de and a
# bench admin created by run.sh. Fails on any non-2xx.
set -euo pipefail
base=$1
tok=$(curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench-admin@example.com","password":"bench-password-123"}' | jq -r .access_token)
auth=(-H "Authorization: Bearer $tok")
id=$(curl -sf "${auth[@]}" "$base/api/v1/admin/guides?q=Node.js%20vs%20Django&limit=100" |
  jq -r '.data[] | select(.slug=="node-vs-django") | .id')
[ -n "$id" ] || { echo "translate.sh: the seed guide was not found" >&2; exit 1; }
src=$(curl -sf "${auth[@]}" "$base/api/v1/admin/guides/$id/translations/de" | jq -c '.source')
texts=$(jq -c '.slug = "node-vs-django-de" | (.. | strings) |= (if length > 0 and (test("^[a-z0-9-]+$") | not) then "DE: " + . else . end)' <<<"$src")
v=$(curl -sf "${auth[@]}" -X PUT "$base/api/v1/admin/guides/$id/translations/de" \
  -H 'Content-Type: application/json' -d "$texts" | jq -r .version)
curl -sf "${auth[@]}" -X POST "$base/api/v1/admin/guides/$id/translations/de/publish" -H "If-Match: \"$v\"" -o /dev/null
