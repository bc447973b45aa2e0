using ReactiveStore;

namespace TodoApp;

/// <summary>The whole app state, at <c>todo.*</c> in the store.</summary>
[StateNode("todo")]
public partial class TodoState
{
    /// <summary>Gets or sets the name of the list.</summary>
    public partial string? ListName { get; set; }

    /// <summary>Gets the items by id: <c>todo.items.&lt;id&gt;.*</c>.</summary>
    public partial StateMap<TodoItem> Items { get; }

    /// <summary>Gets the view settings: <c>todo.view.*</c>.</summary>
    public partial ViewState View { get; }

    /// <summary>Gets how many items are not done (derived: <c>todo.remaining</c>).</summary>
    [Derived] public partial int Remaining { get; }

    /// <summary>Gets a one-line summary (derived from another derived value).</summary>
    [Derived(nameof(Describe))] public partial string Summary { get; }

    /// <summary>Gets the titles the view shows, honouring <see cref="ViewState.HideDone"/>.</summary>
    [Derived] public partial string Visible { get; }

    private int ComputeRemaining() => Items.Keys.Count(id => !Items[id].Done);

    private string Describe() => $"{ListName ?? "todo"}: {Remaining} of {Items.Count} left";

    private string ComputeVisible()
    {
        var titles = new List<string>();
        foreach (string id in Items.Keys)
        {
            TodoItem item = Items[id];
            if (!View.HideDone || !item.Done)
            {
                titles.Add((item.Done ? "[x] " : "[ ] ") + item.Title);
            }
        }

        return string.Join(", ", titles);
    }

    partial void OnListNameChanged(string? oldValue, string? newValue) =>
        Console.WriteLine($"  (hook) list renamed from '{oldValue}' to '{newValue}'");
}

/// <summary>One to-do item.</summary>
[StateNode]
public partial class TodoItem
{
    /// <summary>Gets or sets the title.</summary>
    public partial string? Title { get; set; }

    /// <summary>Gets or sets whether the item is done.</summary>
    public partial bool Done { get; set; }

    /// <summary>Gets or sets the priority, stored at <c>prio</c>.</summary>
    [StatePath("prio")] public partial int Priority { get; set; }
}

/// <summary>How the list is shown.</summary>
[StateNode]
public partial class ViewState
{
    /// <summary>Gets or sets whether done items are hidden.</summary>
    public partial bool HideDone { get; set; }
}
