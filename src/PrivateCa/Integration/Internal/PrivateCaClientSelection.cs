namespace PrivateCa.Integration.Internal;

/// <summary>Named options that say whether a client has PrivateCa trust (set by AddPrivateCaTrust, for one name or all).</summary>
internal sealed class PrivateCaClientSelection
{
    public bool Enabled { get; set; }
}
