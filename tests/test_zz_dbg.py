from test_batch import batch, corpus, reference, spark  # noqa
import test_batch as tb
def test_diff(batch, reference):
    out, _ = batch
    exp = {r["event_id"]: r for r in (e.to_dict() for e in reference.iter_events())}
    got = {r["event_id"]: r for r in tb.records(out)}
    print("ids equal", set(exp) == set(got))
    for k in exp:
        if k in got:
            d = [kk for kk in exp[k] if exp[k][kk] != got[k].get(kk)]
            if d: print(k, d, [(exp[k][x], got[k].get(x)) for x in d][:2])
