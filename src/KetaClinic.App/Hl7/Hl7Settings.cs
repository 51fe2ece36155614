namespace KetaClinic.App.Hl7;

/// <summary>The HL7 v2 listener for bedside monitors (section "Hl7").</summary>
public sealed class Hl7Settings
{
    public const string Section = "Hl7";

    public bool Enabled { get; set; } = true;

    /// <summary>TCP port; 2575 is the port registered for HL7 over MLLP. 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 2575;

    /// <summary>Address to listen on: "any" (all interfaces) or an IP address such as 127.0.0.1.</summary>
    public string BindAddress { get; set; } = "any";

    /// <summary>Monitors connected at once; a further connection is refused until one closes.</summary>
    public int MaxConnections { get; set; } = 64;

    /// <summary>A connection that sends nothing for this long is closed (monitors reconnect when they have data).</summary>
    public int IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>A frame that was started but not finished within this time is abandoned and the connection closed.</summary>
    public int FrameTimeoutSeconds { get; set; } = 30;

    /// <summary>Largest accepted frame; a larger one is rejected (AR) without being buffered whole.</summary>
    public int MaxFrameBytes { get; set; } = 1024 * 1024;
}
