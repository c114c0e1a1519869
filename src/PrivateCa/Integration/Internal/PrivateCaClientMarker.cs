namespace PrivateCa.Integration.Internal;

/// <summary>Registered once per client name that has PrivateCa trust, so a second AddPrivateCaTrust call does not add a second handler.</summary>
internal sealed class PrivateCaClientMarker;
