namespace PrivateCa.Trust.Internal;

/// <summary>The <see cref="ClientTrust"/> in force for one client; read without locks at every handshake, swapped whole when options change.</summary>
internal sealed class ClientTrustSlot(ClientTrust initial)
{
    private ClientTrust _current = initial;

    public ClientTrust Current => Volatile.Read(ref _current);

    public void Swap(ClientTrust next) => Volatile.Write(ref _current, next);
}
