#!/bin/sh
# replicate.sh DB TARGET_RISKS — grows a corpus database to at least
# TARGET_RISKS risks by copying its filings under new CIKs, companies and
# fiscal years (INSERT ... SELECT inside SQLite: no re-parsing). Copies keep
# each risk's heading, body, categories and status and get tags rebuilt for
# their new year and company, so filtered search works on them. Registers
# are not copied (search does not read them).
set -eu
DB=$1
TARGET=$2
base=$(sqlite3 "$DB" 'SELECT count(*) FROM risk')
[ "$base" -gt 0 ] || { echo "replicate: $DB has no risks" >&2; exit 2; }
reps=$(( (TARGET + base - 1) / base - 1 ))
echo "replicate: $base risks x $((reps + 1)) copies" >&2
k=1
while [ $k -le $reps ]; do
    # ids: copy k of row id is id + k * 1000000 (bases stay below 1e6)
    sqlite3 "$DB" <<SQL
PRAGMA foreign_keys=OFF;
BEGIN;
INSERT INTO company(id, cik, name, name_norm)
  SELECT id + $k * 1000000, 'R$k-' || coalesce(cik, id), name || ' (copy $k)', name_norm || ' copy $k'
  FROM company WHERE id < 1000000;
INSERT INTO filing(id, sha256, source_path, bytes, format, form, company, cik, period, fiscal_year,
  currency, company_id, section_found, section_how, nrisks, nwarnings, metrics, register, rfx_version, indexed_at)
  SELECT id + $k * 1000000, sha256 || '-copy$k', source_path, bytes, format, form, company || ' (copy $k)',
    'R$k-' || coalesce(cik, id), period, fiscal_year + ($k % 13) - 6, currency,
    company_id + $k * 1000000, section_found, section_how, nrisks, nwarnings, metrics, '{}', rfx_version, indexed_at
  FROM filing WHERE id < 1000000;
INSERT INTO risk(id, filing_id, idx, grp, heading, body, start_off, end_off, category, category_score, words,
  sentences, specificity, boilerplate, fog, uncertainty, litigious, negative, status, prev_id, similarity, tags)
  SELECT r.id + $k * 1000000, r.filing_id + $k * 1000000, r.idx, r.grp, r.heading, r.body, r.start_off,
    r.end_off, r.category, r.category_score, r.words, r.sentences, r.specificity, r.boilerplate, r.fog,
    r.uncertainty, r.litigious, r.negative, r.status, r.prev_id + $k * 1000000, r.similarity,
    trim(coalesce('y' || f.fiscal_year || ' ', '') ||
      coalesce('f' || (SELECT id FROM vocab WHERE kind = 'form' AND value = f.form) || ' ', '') ||
      coalesce('e' || f.company_id || ' ', '') ||
      coalesce((SELECT group_concat('c' || v.id, ' ') FROM risk_category rc
                JOIN vocab v ON v.kind = 'category' AND v.value = rc.category WHERE rc.risk_id = r.id) || ' ', '') ||
      's' || (SELECT id FROM vocab WHERE kind = 'status' AND value = coalesce(r.status, 'none')))
  FROM risk r JOIN filing f ON f.id = r.filing_id + $k * 1000000 WHERE r.id < 1000000;
INSERT INTO risk_category(risk_id, category, score, rank)
  SELECT risk_id + $k * 1000000, category, score, rank FROM risk_category WHERE risk_id < 1000000;
COMMIT;
SQL
    k=$((k + 1))
done
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
