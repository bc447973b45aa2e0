// TodoApp: typed state generated from [StateNode] classes (see TodoState.cs). Run it with
//   dotnet run --project samples/TodoApp
using System.ComponentModel;
using ReactiveStore;
using TodoApp;

// Inline dispatch: callbacks run before each write returns, so the output below reads in order.
await using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline });
TodoState todo = store.Root<TodoState>();
Console.WriteLine($"root node at '{todo.Path}'; the same instance again: {ReferenceEquals(todo, store.Root<TodoState>())}");

// 1. Typed subscriptions: per member, and INotifyPropertyChanged for stored and derived members.
using Subscription remaining = todo.SubscribeRemaining(change =>
    Console.WriteLine($"  remaining: {change.OldValue} -> {change.NewValue}"));
((INotifyPropertyChanged)todo).PropertyChanged += (_, e) =>
{
    if (e.PropertyName == nameof(TodoState.Summary))
    {
        Console.WriteLine($"  PropertyChanged(Summary): {todo.Summary}");
    }
};

// 2. Typed writes: each property reads and writes its own path.
Console.WriteLine("Rename the list:");
todo.ListName = "groceries";

Console.WriteLine("Add three items:");
store.Batch(_ =>
{
    todo.Items["milk"].Title = "Milk";
    todo.Items["eggs"].Title = "Eggs";
    todo.Items["bread"].Title = "Bread";
    todo.Items["bread"].Priority = 2;
});

Console.WriteLine("Map keys are real ids (any non-empty string), each stored as one path segment:");
todo.Items["oat-milk"].Title = "Oat milk";
Console.WriteLine($"  'oat-milk' lives at {todo.Items.GetPath("oat-milk")}; keys: {string.Join(", ", todo.Items.Keys)}");

Console.WriteLine("Tick off the eggs:");
todo.Items["eggs"].Done = true;

Console.WriteLine("Setting the same value again writes nothing (no event):");
todo.Items["eggs"].Done = true;

Console.WriteLine($"visible: {todo.Visible}");
todo.View.HideDone = true;
Console.WriteLine($"visible with done items hidden: {todo.Visible}");

// 3. The store underneath: generated paths, typed keys, derived paths that read like stored ones.
Console.WriteLine($"stored paths: {string.Join(", ", store.List())}");
Console.WriteLine($"typed key {TodoState.Paths.ListName} -> {store.Get(TodoState.Paths.ListName)}");
Console.WriteLine($"derived path todo.remaining read from the store: {store.Get<int>("todo.remaining")}");
Console.WriteLine($"derived key {TodoState.Paths.Remaining} -> {store.Get(TodoState.Paths.Remaining)} (a derived key reads like any key)");
Console.WriteLine($"Summary's dependencies found at compile time: {string.Join(", ", TodoState.Paths.SummaryDependencies)}");

// A write through the plain store API updates the typed view and its derived values too.
Console.WriteLine("Mark the milk done through store.Set:");
store.Set("todo.items.milk.done", true);

// 4. Snapshots: a record of the node, written back (here into another store) in one batch.
TodoState.NodeSnapshot snapshot = todo.Snapshot();
Console.WriteLine($"snapshot: {snapshot.Items!.Count} items, summary '{snapshot.Summary}'");

Console.WriteLine("Remove the bread:");
todo.Items.Remove("bread");

await using var copy = new StateStore();
TodoState restored = copy.Root<TodoState>();
restored.Apply(snapshot);
Console.WriteLine($"restored into another store: {restored.Summary}; items {string.Join(", ", restored.Items.Keys)}");

// 5. An async stream of typed changes.
using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
IAsyncEnumerable<ValueChange<string?>> renames = todo.WatchListNameAsync(cts.Token);
todo.ListName = "weekend";
await foreach (ValueChange<string?> change in renames)
{
    Console.WriteLine($"watched: ListName '{change.OldValue}' -> '{change.NewValue}' (v{change.Event.Version})");
    break;
}
