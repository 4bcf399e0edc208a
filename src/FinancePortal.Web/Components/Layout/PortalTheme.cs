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
            Secondary = "#B8860B",
            AppbarBackground = "#0B4F8A",
            Background = "#F5F7FA",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#5FA8E8",
            Secondary = "#E0B84C",
            AppbarBackground = "#10243A",
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
