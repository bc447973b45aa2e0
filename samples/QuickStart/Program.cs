// QuickStart: the ReactiveStore core in one page. Run it with
//   dotnet run --project samples/QuickStart
// Parts 1-5 use an in-memory store; part 6 uses the durable embedded default, SQLite, and survives restarts.
using ReactiveStore;
using ReactiveStore.Storage;

await using var store = new StateStore();

// 1. Typed values at dotted paths.
store.Set("config.theme", "dark");
store.Set("config.fontSize", 14);
store.Set("users.alice.name", "Alice");
store.Set("users.alice.score", 10);
store.Set("users.bob.name", "Bob");
store.Set("users.bob.score", 7);
Console.WriteLine($"theme = {store.Get<string>("config.theme")}, font size = {store.Get<int>("config.fontSize")}");
Console.WriteLine($"missing with a default: {store.Get("config.language", "en")}");

// A typed key keeps the value type with the path.
var fontSize = new StateKey<int>("config.fontSize");
Console.WriteLine($"typed key read: {store.Get(fontSize)}");

// A path with children reads as its subtree, as JSON or bound to a type.
Console.WriteLine($"users as JSON: {store.GetNode("users")!.ToJsonString()}");
var alice = store.Get<User>("users.alice")!;
Console.WriteLine($"users.alice bound to a record: {alice}");

// 2. Subscriptions: exact paths bubble up from descendants, wildcards match patterns.
using var everyScore = store.Subscribe("users.*.score", e =>
    Console.WriteLine($"  [users.*.score] {e.Path}: {e.GetPreviousValue<int>()} -> {e.GetValue<int>()} (v{e.Version})"));
using var usersBubble = store.Subscribe("users", e =>
    Console.WriteLine($"  [users]         {e.Type} {e.Path} reached users by bubbling (current path '{e.CurrentPath}')"));
using var deepFirst = store.Subscribe("users.alice", e =>
{
    Console.WriteLine($"  [users.alice]   {e.Type} {e.Path}; stopping propagation to ancestors");
    e.StopPropagation();
});

Console.WriteLine("Set users.bob.score = 9:");
store.Set("users.bob.score", 9);
await store.FlushAsync();

Console.WriteLine("Set users.alice.score = 12 (users.alice stops it before it reaches users):");
store.Set("users.alice.score", 12);
await store.FlushAsync();

Console.WriteLine("Set users.bob.score = 9 again (equal value: no write, no event)");
store.Set("users.bob.score", 9);
await store.FlushAsync();

// 3. A batch commits atomically; its events follow in write order, and an exception rolls it all back.
Console.WriteLine("Batch: alice +1, bob +1:");
store.Batch(w =>
{
    w.Set("users.alice.score", w.Get<int>("users.alice.score") + 1);
    w.Set("users.bob.score", w.Get<int>("users.bob.score") + 1);
});
await store.FlushAsync();

try
{
    store.Batch(w =>
    {
        w.Set("users.alice.score", 1000);
        throw new InvalidOperationException("something went wrong half-way");
    });
}
catch (InvalidOperationException ex)
{
    Console.WriteLine($"Failed batch rolled back ({ex.Message}); alice's score is still {store.Get<int>("users.alice.score")}");
}

// 4. Watch: an async stream of changes, buffered per watcher.
using var cts = new CancellationTokenSource();
var watch = store.Watch("config.*", cancellationToken: cts.Token);
var watcher = Task.Run(async () =>
{
    var seen = new List<string>();
    try
    {
        await foreach (StateEvent e in watch)
        {
            seen.Add($"{e.Path}={e.Value}");
            if (seen.Count == 2)
            {
                break;
            }
        }
    }
    catch (OperationCanceledException)
    {
    }

    return seen;
});
store.Set("config.theme", "light");
store.Set("config.fontSize", 16);
Console.WriteLine($"watch saw: {string.Join(", ", await watcher)}");

// 5. Delete removes a whole subtree with one event.
Console.WriteLine("Delete users.bob:");
store.Delete("users.bob");
await store.FlushAsync();
Console.WriteLine($"stored paths now: {string.Join(", ", store.List())}");

// 6. Durable state: the same store on SQLite (one file, WAL). Every committed write is on disk when Set returns.
string folder = Path.Combine(Path.GetTempPath(), "reactivestore-quickstart");
Directory.CreateDirectory(folder);
string database = Path.Combine(folder, "state.db");
await using (StateStore durable = await StateStore.OpenAsync(new StateStoreOptions { Storage = new SqliteStorage(database) }))
{
    int runs = durable.Get("app.runs", 0) + 1;
    durable.Set("app.runs", runs, new SetOptions { ModifiedBy = "quickstart", Comment = $"run {runs}" });
    durable.Set("app.lastRun", DateTimeOffset.UtcNow);
    Console.WriteLine($"SQLite at {database}: this is run #{runs} of the QuickStart on this machine");
}

// Reopen it, as a restarted process would: the values and their metadata are back.
await using (StateStore reopened = await StateStore.OpenAsync(new StateStoreOptions { Storage = new SqliteStorage(database) }))
{
    StateEntry<int> runs = reopened.GetEntry<int>("app.runs")!;
    Console.WriteLine($"after a restart: app.runs = {runs.Value} (version {runs.Metadata.Version}, by {runs.Metadata.ModifiedBy}, "
        + $"last revisions: {string.Join(", ", runs.Metadata.RevisionHistory.Take(3).Select(r => r.Comment))})");
}

/// <summary>The shape of one user subtree.</summary>
internal sealed record User(string Name, int Score);
