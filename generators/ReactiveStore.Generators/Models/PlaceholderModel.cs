namespace ReactiveStore.Generators.Models;

/// <summary>A partial property the generator cannot implement but must still give an implementation part, so that the compiler gets
/// past its declarations (CS9248) and runs the analyzer that says what is wrong; its accessors throw <paramref name="Message"/>.</summary>
/// <param name="Name">The property name as written in C#.</param>
/// <param name="Type">The fully qualified property type, with its nullable annotation.</param>
/// <param name="Modifiers">The modifiers of the declaration, repeated on the implementation.</param>
/// <param name="GetterModifiers">The modifiers of the get accessor, or "".</param>
/// <param name="SetterKeyword"><c>set</c>, <c>init</c>, or "" when there is no setter.</param>
/// <param name="SetterModifiers">The modifiers of the set accessor, or "".</param>
/// <param name="Message">Why the member cannot work, thrown if it is ever used.</param>
internal sealed record PlaceholderModel(
    string Name,
    string Type,
    string Modifiers,
    string GetterModifiers,
    string SetterKeyword,
    string SetterModifiers,
    string Message);
