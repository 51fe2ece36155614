using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace KetaClinic.App.Components.Measurement;

/// <summary>An SVG &lt;text&gt; element (Razor reserves the &lt;text&gt; tag inside code blocks).</summary>
public sealed class SvgText : ComponentBase
{
    [Parameter]
    public string? Class { get; set; }

    [Parameter]
    public string X { get; set; } = "0";

    [Parameter]
    public string Y { get; set; } = "0";

    [Parameter]
    public string? Anchor { get; set; }

    [Parameter]
    public string? Text { get; set; }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.OpenElement(0, "text");
        builder.AddAttribute(1, "class", Class);
        builder.AddAttribute(2, "x", X);
        builder.AddAttribute(3, "y", Y);
        if (Anchor is not null)
        {
            builder.AddAttribute(4, "text-anchor", Anchor);
        }
        builder.AddContent(5, Text);
        builder.CloseElement();
    }
}
