using ReactiveStore.Storage;

namespace ReactiveStore.Tests.WritePath;

public sealed class PersistenceTests
{
    [Fact]
    public async Task State_survives_a_restart_with_values_metadata_and_types()
    {
        var storage = new InMemoryStorage();
        StateEntry<Profile> written;
        await using (StateStore first = await StateStore.OpenAsync(new StateStoreOptions { Storage = new NonDisposing(storage) }))
        {
            first.Set("users.ada.name", "Ada");
            first.Set("users.ada.age", 36);
            written = first.Set("users.ada.profile", new Profile("Ada", ["math"]), new SetOptions { ModifiedBy = "admin", Tags = ["vip"] });
            first.Set("users.ada.age", 37);
        }

        await using StateStore second = await StateStore.OpenAsync(new StateStoreOptions { Storage = new NonDisposing(storage) });
        Assert.Equal("Ada", second.Get<string>("users.ada.name"));
        Assert.Equal(37, second.Get<int>("users.ada.age"));
        Assert.Equal(37L, second.Get<long>("users.ada.age"));
        Assert.Equal(new Profile("Ada", ["math"]).Name, second.Get<Profile>("users.ada.profile")!.Name);
        StateEntry<Profile> loaded = second.GetEntry<Profile>("users.ada.profile")!;
        Assert.Equal("admin", loaded.Metadata.ModifiedBy);
        Assert.Equal(["vip"], loaded.Metadata.Tags);
        Assert.Equal(written.Metadata.DataHash, loaded.Metadata.DataHash);
        Assert.Equal(2, second.GetEntry<int>("users.ada.age")!.Metadata.Version);
        Assert.Equal("""{"age":37,"name":"Ada","profile":{"name":"Ada","skills":["math"]}}""", second.GetNode("users.ada")!.ToJsonString());
    }

    [Fact]
    public void An_equal_write_over_a_loaded_value_writes_nothing()
    {
        var storage = new InMemoryStorage();
        using (var first = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = new NonDisposing(storage) }))
        {
            first.Set("n", 5);
            first.Set("p", new Profile("x", []));
        }

        var counting = new NonDisposing(storage);
        using var second = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = counting });
        Assert.Equal(1, second.Set("n", 5).Metadata.Version);
        Assert.Equal(1, second.Set("p", new Profile("x", [])).Metadata.Version);
        Assert.Equal(0, counting.Writes);
        Assert.Equal(2, second.Set("n", 6).Metadata.Version);
        Assert.Equal(1, counting.Writes);
    }

    [Fact]
    public void A_batch_reaches_storage_as_one_write_and_deletes_remove_every_key()
    {
        var storage = new InMemoryStorage();
        var counting = new NonDisposing(storage);
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = counting });
        store.Batch(w =>
        {
            w.Set("cart.a", 1);
            w.Set("cart.b", 2);
            w.Set("cart.c.d", 3);
        });
        Assert.Equal(1, counting.Writes);
        Assert.Equal(["cart.a", "cart.b", "cart.c.d"], storage.Keys("cart"));
        store.Delete("cart");
        Assert.Empty(storage.Keys(""));
    }

    [Fact]
    public void Derived_values_are_not_persisted_and_recompute_after_a_restart()
    {
        var storage = new InMemoryStorage();
        using (var first = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = new NonDisposing(storage) }))
        {
            first.Set("price", 10);
            using var doubled = first.Derive<int, int>("doubled", "price", p => p * 2);
            Assert.Equal(20, first.Get<int>("doubled"));
        }

        Assert.Equal(["price"], storage.Keys(""));
        using var second = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = new NonDisposing(storage) });
        using var again = second.Derive<int, int>("doubled", "price", p => p * 2);
        Assert.Equal(20, second.Get<int>("doubled"));
    }

    [Fact]
    public void An_entry_that_expired_while_the_store_was_closed_is_deleted_on_open()
    {
        var storage = new InMemoryStorage();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using (var first = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = new NonDisposing(storage), TimeProvider = clock }))
        {
            first.Set("temp", 1, new SetOptions { Ttl = TimeSpan.FromMinutes(1) });
            first.Set("kept", 1);
        }

        clock.Advance(TimeSpan.FromMinutes(5));
        using var second = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = new NonDisposing(storage), TimeProvider = clock });
        Assert.False(second.Exists("temp"));
        clock.Advance(TimeSpan.Zero);
        Assert.Equal(["kept"], storage.Keys(""));
    }

    [Fact]
    public void The_store_flushes_and_disposes_its_storage_on_shutdown()
    {
        var storage = new InMemoryStorage();
        var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = storage });
        store.Set("a", 1);
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => storage.Keys(""));
    }

    public sealed record Profile(string Name, List<string> Skills);
}
