using System.Text.Json.Nodes;

namespace ReactiveStore;

/// <summary>Builds a coarse record from a mapping of its fields to store paths (payload formation), for example to
/// persist a namespace as one database row or to send it as one message.</summary>
public interface IPayloadFormationService
{
    /// <summary>Reads every mapped path at one consistent moment and forms a JSON object of the fields.</summary>
    /// <param name="store">The store to read.</param>
    /// <param name="mapping">The fields and their paths.</param>
    /// <returns>The object; a missing path gives a JSON <c>null</c> field.</returns>
    JsonObject Form(StateStore store, PayloadMapping mapping);

    /// <summary>Forms the object and binds it to <typeparamref name="T"/> with the store's serializer options.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="store">The store to read.</param>
    /// <param name="mapping">The fields and their paths.</param>
    /// <returns>The record.</returns>
    /// <exception cref="StateTypeMismatchException">The fields cannot bind to <typeparamref name="T"/>; the message names the type.</exception>
    T? Form<T>(StateStore store, PayloadMapping mapping);
}
