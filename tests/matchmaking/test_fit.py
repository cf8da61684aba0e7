"""The fit of an investor and a startup: hard gates, the score and its reasons (pure)."""

from __future__ import annotations

from eventhub.matchmaking import fit

INVESTOR = fit.InvestorSide(sectors=frozenset({"ai", "fintech"}), stages=frozenset({"seed"}),
                            ticket_min_vnd=1_000_000_000, ticket_max_vnd=5_000_000_000,
                            countries=frozenset({"VN"}))


def startup(**kw):
    values = {"sector": "ai", "stage": "seed", "amount_vnd": 3_000_000_000, "country": "VN"}
    values.update(kw)
    return fit.StartupSide(**values)


def test_every_gate_must_pass():
    assert fit.fit(INVESTOR, startup()) is not None
    assert fit.fit(INVESTOR, startup(sector="agritech")) is None
    assert fit.fit(INVESTOR, startup(stage="growth")) is None
    assert fit.fit(INVESTOR, startup(amount_vnd=999_999_999)) is None
    assert fit.fit(INVESTOR, startup(amount_vnd=5_000_000_001)) is None


def test_ticket_bounds_are_inclusive():
    assert fit.fit(INVESTOR, startup(amount_vnd=1_000_000_000)) is not None
    assert fit.fit(INVESTOR, startup(amount_vnd=5_000_000_000)) is not None


def test_usd_is_converted_at_the_given_rate():
    assert fit.to_vnd(200_000, "USD", 25_000) == 5_000_000_000
    assert fit.to_vnd(200_000, "VND", 25_000) == 200_000


def test_reasons_name_sector_stage_ticket_and_country():
    found = fit.fit(INVESTOR, startup())
    assert [(r.code, r.value) for r in found.reasons] == [("sector", "ai"), ("stage", "seed"), ("ticket", ""),
                                                          ("country", "VN")]
    abroad = fit.fit(INVESTOR, startup(country="SG"))
    assert "country" not in {r.code for r in abroad.reasons}
    assert abroad.score < found.score


def test_a_focused_investor_and_a_centred_amount_score_higher():
    broad = fit.InvestorSide(sectors=frozenset({"ai", "fintech", "edtech", "agritech"}),
                             stages=frozenset({"seed", "series_a"}), ticket_min_vnd=1_000_000_000,
                             ticket_max_vnd=5_000_000_000)
    assert fit.fit(INVESTOR, startup()).score > fit.fit(broad, startup()).score
    assert fit.fit(INVESTOR, startup()).score > fit.fit(INVESTOR, startup(amount_vnd=1_000_000_000)).score


def test_scores_lie_between_zero_and_one_and_rank_best_first():
    ranked = fit.rank([(1, fit.fit(INVESTOR, startup(amount_vnd=1_000_000_000))), (2, None),
                       (3, fit.fit(INVESTOR, startup())), (4, fit.fit(INVESTOR, startup()))])
    assert [key for key, _f in ranked] == [3, 4, 1]
    assert all(0 <= f.score <= 1 for _k, f in ranked)


def test_money_is_written_with_dots_in_either_currency():
    from eventhub.matchmaking.labels import format_money

    assert format_money(5_000_000_000, "VND") == "5.000.000.000 ₫"
    assert format_money(200_000, "USD") == "200.000 USD"
    assert format_money(None, "USD") == ""
