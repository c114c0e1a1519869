namespace PrivateCa.Integration.Internal;

/// <summary>Stands for "the client's trust loads" in start-up validation (ValidateOnStart), apart from the options' own fields.</summary>
internal sealed class PrivateCaLoadCheck;
