using MudBlazor;

namespace FinancePortal.Web.Components.Layout;

/// <summary>The portal's palette: regulator blue, with a matching dark palette. No web fonts (the portal runs offline).</summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0B4F8A",
            Secondary = "#85640A",
            AppbarBackground = "#0B4F8A",
            Background = "#F5F7FA",
            // WCAG AA (4.5:1) for text in these colours on white and on the background, and for white text on them:
            // MudBlazor's defaults (#00C853, #FF9800, #F44336, #2196F3, text at 54 % black) fall to 2-4.5:1
            // (docs/accessibility.md).
            TextSecondary = "rgba(0,0,0,0.62)",
            Success = "#2E7D32",
            Warning = "#B45309",
            Error = "#C62828",
            Info = "#1565C0",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#5FA8E8",
            Secondary = "#E0B84C",
            AppbarBackground = "#10243A",
            // Light tones with dark text on them in the dark theme: white on MudBlazor's dark defaults is 2-3:1.
            PrimaryContrastText = "rgba(0,0,0,0.87)",
            SecondaryContrastText = "rgba(0,0,0,0.87)",
            TextSecondary = "rgba(255,255,255,0.65)",
            Success = "#81C784",
            SuccessContrastText = "rgba(0,0,0,0.87)",
            Warning = "#FFB74D",
            WarningContrastText = "rgba(0,0,0,0.87)",
            Error = "#EF9A9A",
            ErrorContrastText = "rgba(0,0,0,0.87)",
            Info = "#90CAF9",
            InfoContrastText = "rgba(0,0,0,0.87)",
            // Color.Dark (withdrawn applications, outlined) is near the surface colour by default: a light grey instead.
            // Its contrast text stays white: tooltips draw it on grey.
            Dark = "#C4C4CC",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "sans-serif"],
            },
        },
    };
}
