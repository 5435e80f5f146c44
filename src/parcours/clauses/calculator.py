"""The hours calculator of the contract form: the insertion hours a contract can carry, proposed from its amount
(docs/clauses.md). The facilitator keeps or changes the proposal; nothing here is stored."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# The defaults the page states: labour is 40 % of a works contract's amount, 5 % of the labour hours go to
# insertion, an hour of labour costs 30 € (all charges included).
LABOUR_SHARE = Decimal("0.40")
INSERTION_SHARE = Decimal("0.05")
HOURLY_COST = Decimal("30")


def hours_proposed(*, amount_excl_tax: Decimal, labour_share: Decimal = LABOUR_SHARE,
                   insertion_share: Decimal = INSERTION_SHARE, hourly_cost: Decimal = HOURLY_COST) -> Decimal:
    """hours = amount (HT) × labour share × insertion share ÷ hourly cost, rounded to the nearest hour (half up).
    The shares lie in ]0, 1], the amount is ≥ 0 and the cost > 0."""
    if amount_excl_tax < 0:
        raise ValueError("amount_excl_tax must be >= 0")
    if not (0 < labour_share <= 1 and 0 < insertion_share <= 1):
        raise ValueError("shares must lie in ]0, 1]")
    if hourly_cost <= 0:
        raise ValueError("hourly_cost must be > 0")
    hours = amount_excl_tax * labour_share * insertion_share / hourly_cost
    return hours.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
