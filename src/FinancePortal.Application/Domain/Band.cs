namespace FinancePortal.Application.Domain;

/// <summary>Scorecard band: A recommend approval, B conditional approval, C rejection; Fail when a knock-out fails.</summary>
public enum Band
{
    A,
    B,
    C,
    Fail,
}
