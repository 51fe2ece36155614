using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace KetaClinic.App.Components;

public static class RenderModes
{
    /// <summary>
    /// Interactive server pages render once, in the circuit: no prerender, so opening a record reads it (and
    /// audits the read) exactly once.
    /// </summary>
    public static readonly IComponentRenderMode Server = new InteractiveServerRenderMode(prerender: false);
}
