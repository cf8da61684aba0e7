"""Organizations across the series (issue 19): what linking costs a registration, and what the
duplicates page costs as the series grows.

- resolve (known name): the extra work a registration, an application or a profile does to point to its
  organization when it exists – folding the name (cached per process) and one indexed SELECT – against
  the baseline of that bare SELECT by name key.
- resolve (new name): a SAVEPOINT and an INSERT more (rolled back after each run).
- likely duplicates: the pairs shown on /organizations/duplicates, over N startups and investors
  (employers are left out: they are the noise and are counted nowhere as distinct), against one pass
  of folding their names (the least any matching must do).

    .venv/bin/python benchmarks/bench_organizations.py [--runs 15] [--db sqlite|postgres]
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from harness import database, in_process_args, print_ratios, timed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = ("Sao", "Mai", "Khuê", "Mekong", "Bình", "Minh", "Tre", "Xanh", "Hoa", "Sen", "Lúa", "Vàng", "Ánh",
         "Dương", "Hạt", "Ngọc", "Rồng", "Việt", "Cửu", "Long", "Đại", "Hải", "Đăng", "Mây", "Trắng", "Nắng")
SUFFIXES = ("Tech", "Labs", "Data", "Farm", "Health", "Edu", "Pay", "AI", "Green", "Logistics")
FORMS = ("Công ty CP ", "CTCP ", "Công ty TNHH ", "", "")


def _names(rng: random.Random, n: int) -> list[str]:
    names = set()
    while len(names) < n:
        names.add(f"{rng.choice(FORMS)}{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)} "
                  f"{rng.choice(SUFFIXES)}")
    return sorted(names)


def main(argv=None) -> int:
    args = in_process_args(__doc__, argv)
    with database(args.db, migrate=False) as url:  # the schema by create_all, as the tests make it
        return _run(args, url)


def _run(args, url: str) -> int:
    from eventhub import create_app
    from eventhub.extensions import db
    from eventhub.organizations import matching, services
    from eventhub.organizations.models import Organization, OrganizationKind

    tmp = tempfile.mkdtemp(prefix="bench-organizations-")
    app = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url, "MAIL_OUTBOX_DIR": tmp,
                      "RATELIMIT_ENABLED": False})
    rng = random.Random(19)
    rows = []
    with app.app_context():
        db.create_all()
        names = _names(rng, 3000)
        for name in names:
            services.resolve(name, kind=OrganizationKind.startup)
        db.session.commit()
        known = names[len(names) // 2]
        key = services.name_key_of(matching.fold_name(known))

        def bare_select():
            return db.session.scalar(db.select(Organization.id).where(Organization.name_key == key).limit(1))

        def resolve_new():
            services.resolve(f"Công ty CP Mới {rng.random()}")
            db.session.rollback()

        t_bare = timed(bare_select, args.runs * 10)
        t_known = timed(lambda: services.resolve(known), args.runs * 10)
        rows.append(("resolve, the organization exists", t_known, t_bare))
        rows.append(("resolve, a new organization (rolled back)", timed(resolve_new, args.runs * 5), t_bare))
        print(f"-- linking, {args.db}; baseline: the bare SELECT by name key, {t_bare * 1000:.3f} ms")
        print_ratios(rows)

        rows = []
        for size in (300, 1000, 3000):
            subset = names[:size]
            fold_all = timed(lambda s=subset: [matching.fold_name(n) for n in s], 3)
            live = (db.select(Organization.id).order_by(Organization.id).offset(size).limit(1)
                    .scalar_subquery())
            db.session.execute(db.update(Organization).where(Organization.id >= live)
                               .values(kind=OrganizationKind.other))
            db.session.flush()
            rows.append((f"likely duplicates over {size} startups", timed(services.likely_duplicates, 3),
                         fold_all))
            db.session.rollback()
        print(f"\n-- the duplicates page's pairs, {args.db}; baseline: folding the same names once")
        print_ratios(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
