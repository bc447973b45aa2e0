namespace ReactiveStore.Tests.WritePath;

public sealed class PayloadFormationTests
{
    [Fact]
    public void Forms_a_record_from_mapped_paths_with_nested_fields_and_subtrees()
    {
        using var store = TestSupport.Inline();
        store.Set("orders.o1.total", 99.5m);
        store.Set("orders.o1.status", "paid");
        store.Set("customers.c7.name", "Ada");
        store.Set("customers.c7.address.city", "London");
        store.Set("customers.c7.address.zip", "N1");
        var mapping = new PayloadMapping()
            .Add("id", "orders.o1.status")
            .Add("total", "orders.o1.total")
            .Add("customer.name", "customers.c7.name")
            .Add("customer.address", "customers.c7.address")
            .Add("note", "orders.o1.note");

        var json = PayloadFormationService.Instance.Form(store, mapping);
        Assert.Equal("""{"id":"paid","total":99.5,"customer":{"name":"Ada","address":{"city":"London","zip":"N1"}},"note":null}""", json.ToJsonString());

        OrderRow row = PayloadFormationService.Instance.Form<OrderRow>(store, mapping)!;
        Assert.Equal(99.5m, row.Total);
        Assert.Equal("London", row.Customer.Address.City);
        Assert.Null(row.Note);
    }

    [Fact]
    public void A_mapping_rejects_duplicate_overlapping_and_invalid_fields()
    {
        var mapping = new PayloadMapping().Add("a.b", "x");
        Assert.Contains("mapped already", Assert.Throws<ArgumentException>(() => mapping.Add("a.b", "y")).Message, StringComparison.Ordinal);
        Assert.Contains("overlaps field 'a.b'", Assert.Throws<ArgumentException>(() => mapping.Add("a", "y")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => mapping.Add("a.b.c", "y"));
        Assert.Throws<InvalidPathException>(() => mapping.Add("bad field", "y"));
        Assert.Throws<ArgumentException>(() => mapping.Add("root", StatePath.Root));
        Assert.Single(mapping.Fields);
    }

    [Fact]
    public void Fields_that_cannot_bind_give_a_mismatch_naming_the_type()
    {
        using var store = TestSupport.Inline();
        store.Set("n", "not a number");
        var mapping = new PayloadMapping().Add("total", "n");
        var ex = Assert.Throws<StateTypeMismatchException>(() => PayloadFormationService.Instance.Form<Numbers>(store, mapping));
        Assert.Contains("Numbers", ex.Message, StringComparison.Ordinal);
        Assert.Contains("total ← 'n'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_is_formed_at_one_consistent_moment()
    {
        await using var store = new StateStore();
        store.Set("pair.left", 0);
        store.Set("pair.right", 0);
        var mapping = new PayloadMapping().Add("left", "pair.left").Add("right", "pair.right");
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (int i = 1; !stop.IsCancellationRequested; i++)
            {
                store.Batch(w =>
                {
                    w.Set("pair.left", i);
                    w.Set("pair.right", i);
                });
            }
        });
        for (int i = 0; i < 2_000; i++)
        {
            Pair pair = PayloadFormationService.Instance.Form<Pair>(store, mapping)!;
            Assert.Equal(pair.Left, pair.Right);
        }

        await stop.CancelAsync();
        await writer.WithTimeout();
    }

    public sealed record Address(string City, string Zip);

    public sealed record Customer(string Name, Address Address);

    public sealed record OrderRow(string Id, decimal Total, Customer Customer, string? Note);

    public sealed record Numbers(int Total);

    public sealed record Pair(int Left, int Right);
}
