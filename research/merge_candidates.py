"""Merge reviewed candidate JSONL files into data/*.csv; run with --dry-run first to see what would change."""
import csv, json, sys, re
from pathlib import Path
DATA = Path(__file__).resolve().parent.parent / 'data'
import datetime
TODAY = datetime.date.today().isoformat()
LISTS = {'target_jurisdictions','hs_codes','entities','related_ids','source_ids','exporting_jurisdictions','petitioners','reasons'}
EVID = {'announced_on','effective_on','ended_on','initiated_on','investigation_period_start','investigation_period_end',
        'injury_period_start','injury_period_end','preliminary_on','preliminary_rate_min_pct','preliminary_rate_max_pct',
        'final_on','final_rate_min_pct','final_rate_max_pct','deadline_on','expires_on','issued_on','withdrawn_on','level',
        'case_reference','legal_instrument','hs_codes','rate_min_pct','rate_max_pct'}
EVENT_FIELDS = {'record_id': 'record_id', 'event_on': 'event_on', 'event_kind': 'kind', 'until_on': 'until_on',
                'scheduled': 'scheduled', 'rate_pct': 'rate_pct', 'summary': 'summary', 'source_ids': 'source_ids'}
dry = '--dry-run' in sys.argv
files = [a for a in sys.argv[1:] if not a.startswith('--')]
skip = set()
for a in sys.argv:
    if a.startswith('--skip='): skip |= set(a[7:].split(','))
tables = {}
for t in ['export_controls','trade_remedies','travel_advisories','import_restrictions','tariff_measures',
          'measure_events','sources']:
    with open(DATA/f'{t}.csv', newline='') as f:
        r = csv.DictReader(f); tables[t] = (r.fieldnames, list(r))
src_by_url = {r['url']: r['id'] for r in tables['sources'][1]}
src_ids = {r['id'] for r in tables['sources'][1]}
alias = {}
log = []
def lst(v):
    if v is None: return ''
    if isinstance(v, list): return ';'.join(str(x).strip() for x in v if str(x).strip())
    return str(v)
lines = []
for fn in files:
    for i, l in enumerate(open(fn), 1):
        l = l.strip()
        if not l: continue
        try: o = json.loads(l)
        except Exception as e: log.append(f'{fn}:{i}: bad json {e}'); continue
        lines.append((fn, i, o))
for fn, i, o in lines:
    if o.get('kind') == 'source':
        url = o['url'].strip()
        if not url.startswith('https://'): log.append(f'{fn}:{i}: non-https source {url}'); continue
        if url in src_by_url: alias[o['id']] = src_by_url[url]; continue
        sid = o['id']
        if sid in src_ids: sid = sid + '-b'
        alias[o['id']] = sid
        row = {'id': sid, 'publisher': o.get('publisher',''), 'title': o.get('title',''), 'url': url,
               'published_on': o.get('published_on','') or '', 'language': o.get('language','en') or 'en',
               'kind': o.get('kind_of_source') or o.get('source_kind') or 'news', 'accessed_on': TODAY}
        tables['sources'][1].append(row); src_by_url[url] = sid; src_ids.add(sid)
def fix_sources(v):
    out=[]
    for s in (v if isinstance(v,list) else str(v).split(';')):
        s = alias.get(s.strip(), s.strip())
        if s and s not in out: out.append(s)
    return out
for fn, i, o in lines:
    k = o.get('kind')
    if k == 'record':
        t = o['table']; cols, rows = tables[t]
        if o.get('id') in skip: log.append(f'skip {o["id"]}'); continue
        if any(r['id'] == o['id'] for r in rows): log.append(f'{fn}:{i}: duplicate id {o["id"]}'); continue
        ev = o.get('evidence', {}) or {}
        row = {}
        for c in cols:
            v = o.get(c)
            if c == 'source_ids': v = fix_sources(v or [])
            if c in EVID and v not in (None, '', []) and c not in ev:
                log.append(f'{o["id"]}: no evidence for {c}={v!r} (kept)')
            row[c] = lst(v) if c in LISTS else ('' if v is None else str(v))
        extra = set(o) - set(cols) - {'kind','table','evidence','note'}
        if extra: log.append(f'{o["id"]}: unknown fields {extra}')
        for s in row['source_ids'].split(';'):
            if s not in src_ids: log.append(f'{o["id"]}: unknown source {s}')
        rows.append(row)
    elif k == 'event':
        # A dated step of a record: its key is (record_id, event_on, kind), and it needs its own evidence.
        cols, rows = tables['measure_events']
        if o.get('record_id') in skip: log.append(f'skip event of {o["record_id"]}'); continue
        row = {c: '' for c in cols}
        for name, column in EVENT_FIELDS.items():
            v = o.get(name)
            if column == 'source_ids': v = fix_sources(v or [])
            if column == 'scheduled': v = '' if v is None else ('true' if v else 'false')
            row[column] = lst(v) if column in LISTS else ('' if v is None else str(v))
        key = (row['record_id'], row['event_on'], row['kind'])
        if any((r['record_id'], r['event_on'], r['kind']) == key for r in rows):
            log.append(f'{fn}:{i}: duplicate event {key}'); continue
        if not o.get('evidence'): log.append(f'{fn}:{i}: event {key} has no evidence (kept)')
        extra = set(o) - set(EVENT_FIELDS) - {'kind', 'evidence', 'note'}
        if extra: log.append(f'{fn}:{i}: event {key}: unknown fields {extra}')
        for src in row['source_ids'].split(';'):
            if src not in src_ids: log.append(f'{fn}:{i}: event {key}: unknown source {src}')
        rows.append(row)
    elif k == 'update':
        t = o['table']; cols, rows = tables[t]
        if o.get('id') in skip: log.append(f'skip update {o["id"]}'); continue
        tgt = [r for r in rows if r.get('id') == o['id']]
        if not tgt: log.append(f'{fn}:{i}: update of unknown {o["id"]}'); continue
        r = tgt[0]
        for c, v in (o.get('set') or {}).items():
            if c not in cols: log.append(f'{o["id"]}: unknown field {c}'); continue
            if c == 'source_ids': v = fix_sources(v)
            old = r[c]; r[c] = lst(v) if c in LISTS else ('' if v is None else str(v))
            log.append(f'UPDATE {o["id"]}.{c}: {old!r} -> {r[c]!r}')
        add = fix_sources(o.get('add_source_ids') or [])
        if 'source_ids' not in r:
            if add: log.append(f'{fn}:{i}: {o["id"]}: {t} has no source_ids to add to')
            continue
        cur = [s for s in r['source_ids'].split(';') if s]
        for s in add:
            if s not in cur: cur.append(s)
            if s not in src_ids: log.append(f'{o["id"]}: unknown source {s}')
        r['source_ids'] = ';'.join(cur)
print('\n'.join(log))
if not dry:
    # Row order, quoting and list spelling are the package's to decide: one canonical writer.
    import pyarrow as pa
    from tradecurbs.formatting import encode_csv, format_package
    for t, (cols, rows) in tables.items():
        columns = [pa.array([r.get(c) or None for r in rows], type=pa.string()) for c in cols]
        (DATA/f'{t}.csv').write_bytes(encode_csv(cols, columns))
    format_package(DATA.parent)
print({t: len(r[1]) for t, r in tables.items()})
