#!/bin/sh
# extract_seed.sh — the extract stage end to end on the IIJ seed (20-F Item
# 3.D, OCR-damaged): every money amount with its value, currency, period and
# repair; percentages; counts; defined-term aliases; people; filing facts;
# and that every fact's source bytes spell it.
. "$(dirname "$0")/tap.sh"
SEED="$SHARED/data/seed/000_f79ab47b85062882.txt"
if ! have_shared || [ ! -f "$SEED" ]; then
    skip "extract on the seed" "no shared data at $SHARED/data"
    exit 0
fi
out=$(mktemp)
trap 'rm -f "$out" "$out.py"' EXIT
if ! "$RFX" parse "$SEED" --json >"$out" 2>/dev/null; then
    notok "rfx parse seed --json" "exit $?"
    exit 0
fi
ok "rfx parse seed --json"

cat >"$out.py" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
src = open(sys.argv[2], 'rb').read()
facts = [f for r in d['risks'] for f in r['facts']]
def res(ok, name, why=''):
    print(('PASS ' if ok else 'FAIL ') + name + ('\t' + why if not ok and why else ''))

# every seed money amount, in document order: text, value, currency, period, repair
B = 1_000_000_000
M = 1_000_000
money = [
    ('¥6.8 billion', 6.8*B, 'JPY', 'FY2011', None), ('¥10.9 billion', 10.9*B, 'JPY', 'FY2012', None),
    ('¥10.4 billion', 10.4*B, 'JPY', 'FY2013', None), ('¥5.5 billion', 5.5*B, 'JPY', 'FY2011', None),
    ('¥6.5 billion', 6.5*B, 'JPY', 'FY2012', None), ('¥7.0 billion', 7.0*B, 'JPY', 'FY2013', None),
    ('¥0.6 billion', 0.6*B, 'JPY', 'FY2011', None), ('x3.1 billion', 3.1*B, 'JPY', 'FY2012', 'ocr-yen:x'),
    ('¥6.2 billion', 6.2*B, 'JPY', 'FY2013', None), ('¥1.6 billion', 1.6*B, 'JPY', 'FY2011', None),
    ('¥4.3 billion', 4.3*B, 'JPY', 'FY2012', None), ('¥2.3 billion', 2.3*B, 'JPY', 'FY2013', None),
    ('%3.6 billion', 3.6*B, 'JPY', 'FY2013', 'ocr-yen:%'), ('¥9.2 billion', 9.2*B, 'JPY', None, None),
    ('X26.1 billion', 26.1*B, 'JPY', 'FY2012', 'ocr-yen:X'), ('¥2.4 billion', 2.4*B, 'JPY', 'FY2013', None),
    ('¥2.2 billion', 2.2*B, 'JPY', 'FY2012', None), ('¥1.8 billion', 1.8*B, 'JPY', 'FY2013', None),
    ('¥5.0 billion', 5.0*B, 'JPY', '2013-03-31', None), ('¥2.6 billion', 2.6*B, 'JPY', '2013-03-31', None),
    ('¥0.6 billion', 0.6*B, 'JPY', '2013-03-31', None), ('¥0.5 billion', 0.5*B, 'JPY', '2013-03-31', None),
    ('¥2.3 billion', 2.3*B, 'JPY', 'FY2013', None), ('¥0.2 billion', 0.2*B, 'JPY', 'FY2013', None),
    ('£1.4 million', 1.4*M, 'GBP', 'FY2013', None), ('$6 million', 6*M, 'USD', 'FY2013', None),
    ('£1.5 million', 1.5*M, 'GBP', '2013-03-31', None), ('$0.6 billion', 0.6*B, 'USD', '2013-03-31', None),
    ('¥10.8 billion', 10.8*B, 'JPY', '2013-03-31', None), ('¥6.1 billion', 6.1*B, 'JPY', '2013-03-31', None),
    ('¥4.7 billion', 4.7*B, 'JPY', '2013-03-31', None), ('¥5.0 billion', 5.0*B, 'JPY', 'FY2013', None),
    ('¥4.6 billion', 4.6*B, 'JPY', 'FY2013', None), ('¥20 million', 20*M, 'JPY', 'FY2013', None),
    ('¥1.3 billion', 1.3*B, 'JPY', '2013-03-31', None), ('¥1.3 billion', 1.3*B, 'JPY', '2013-03-31', None),
    ('¥0.3 billion', 0.3*B, 'JPY', '2013-03-31', None), ('¥10.4 billion', 10.4*B, 'JPY', 'FY2013', None),
]
got = [f for f in facts if f['kind'] == 'money']
res(len(got) == len(money), 'money: %d amounts' % len(money), 'got %d' % len(got))
for i, (text, v, cur, per, rep) in enumerate(money):
    name = 'money %d: %s = %d %s%s%s' % (i + 1, text, round(v), cur, ' ' + per if per else '',
                                         ' (' + rep + ')' if rep else '')
    if i >= len(got):
        res(False, name, 'missing'); continue
    f = got[i]
    why = []
    if f['text'] != text: why.append('text %r' % f['text'])
    if f['value'] != round(v): why.append('value %r' % f['value'])
    if f['currency'] != cur: why.append('currency %r' % f['currency'])
    if f['period'] != per: why.append('period %r' % f['period'])
    if f['repaired'] != rep: why.append('repaired %r' % f['repaired'])
    res(not why, name, ', '.join(why))

pct = [('33%', 33, 'FY2013'), ('100%', 100, None), ('79.5%', 79.5, '2013-03-31'), ('29.9%', 29.9, '2013-03-31')]
got = [(f['text'], f['value'], f['period']) for f in facts if f['kind'] == 'percent']
res(got == pct, 'percentages 33%, 100%, 79.5%, 29.9% with periods', repr(got))

counts = {('625 ATMs', 625, 'ATMs'), ('15 consolidated subsidiaries', 15, 'consolidated subsidiaries'),
          ('four equity method investees', 4, 'equity method investees'),
          ('1,600 domestic corporate customers', 1600, 'domestic corporate customers'),
          ('eight overseas subsidiaries', 8, 'overseas subsidiaries'), ('13 directors', 13, 'directors')}
got = {(f['text'], f['value'], f['unit']) for f in facts if f['kind'] == 'count'}
res(got == counts, 'counts with their nouns, and nothing else', repr(sorted(got ^ counts)))

years = [f['period'] for f in facts if f['kind'] == 'period']
res(years.count('FY2013') >= 6 and 'FY2014' in years and 'FY2011' in years, 'fiscal periods',
    repr(years))
dates = [f.get('date') for f in facts if f['kind'] == 'date']
res('2013-06-28' in dates and '2005-04' in dates and '2013-06' in dates, 'dates', repr(dates))

bad = []
for f in facts:
    s = src[f['start']:f['end']].decode('utf-8', 'replace').replace('\\$', '$').replace('\n', ' ')
    if s != f['text']: bad.append((f['text'], s))
res(not bad, 'every fact spells its source bytes', repr(bad[:3]))

ents = {e['name']: e for e in d['entities']}
aliases = {
    'NTT Communications Corporation': ('NTT Communications', 'org'), 'KDDI Corporation': ('KDDI', 'org'),
    'Nippon Telegraph and Telephone Corporation': ('NTT', 'org'),
    'Nippon Telegraph and Telephone East Corporation': ('NTT East', 'org'),
    'Nippon Telegraph Telephone West Corporation': ('NTT West', 'org'),
    'Ministry of Internal Affairs and Communications': ('MIC', 'regulator'),
    'Mobile Virtual Network Operator': ('MYNO', 'term'), 'automated teller machines': ('ATMs', 'term'),
    'Wide Area Network': ('WAN', 'term'), 'AT&T Japan LLC': ('AT&T Japan', 'org'),
    'IBM Japan tld.': ('IBM Japan', 'org'), 'Trust Networks Inc.': ('Trust Networks', 'org'),
    'IIJ America Inc.': ('IIJ-A', 'org'), 'Cisco Systems, Inc.': ('Cisco', 'org'),
    'Juniper Networks, Inc.': ('Juniper Networks', 'org'), 'Small and Medium Enterprises': ('SMEs', 'term'),
}
for name, (alias, kind) in aliases.items():
    e = ents.get(name)
    res(e is not None and e['alias'] == alias and e['kind'] == kind,
        'entity %s ("%s") %s' % (name, alias, kind), repr(e))
for name, kind in [('U.S. Foreign Corrupt Practices Act', 'law'), ('Telecommunication Business Law', 'law'),
                   ('Ministry of Economy, Trade and Industry', 'regulator'), ('NEC Corporation', 'org'),
                   ('Fujitsu Limited', 'org'), ('NTT Data Corporation', 'org'), ('IIJ Europe Limited', 'org')]:
    e = ents.get(name)
    res(e is not None and e['kind'] == kind, 'entity %s %s' % (name, kind), repr(e))
people = sorted(e['name'] for e in d['entities'] if e['kind'] == 'person')
res(people == ['Eijiro Katsu', 'Koichi Suzuki', 'Takashi Hiroi'], 'people, "Mr. Suzuki" not duplicated',
    repr(people))
res(all(e.get('title') == 'Mr.' for e in d['entities'] if e['kind'] == 'person'), 'people have titles')
names = [e['name'] for e in d['entities']]
res(len(names) == len(set(n.lower() for n in names)), 'entities are unique by name')
res(not any(n.startswith(('such as', 'and ', 'The ')) for n in names), 'entity names start where the name starts')
bad = [e['name'] for e in d['entities'] if src[e['start']:e['end']].decode('utf-8', 'replace') != e['name']]
res(not bad, 'every entity spells its source bytes', repr(bad[:3]))

f = d['filing']
res(f['form'] == '20-F' and f['currency'] == 'JPY' and f['fiscal_year_end'] == '0331',
    'filing: 20-F, JPY, fiscal year ends March 31', repr(f))
EOF

python3 "$out.py" "$out" "$SEED" >"$out.res" 2>&1 || notok "assertions ran" "$(tail -3 "$out.res")"
while IFS="$(printf '\t')" read -r line why; do
    case "$line" in
        PASS*) ok "${line#PASS }" ;;
        FAIL*) notok "${line#FAIL }" "$why" ;;
    esac
done <"$out.res"
rm -f "$out.res"
