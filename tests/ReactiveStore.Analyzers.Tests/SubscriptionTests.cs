namespace ReactiveStore.Analyzers.Tests;

/// <summary>RST0010: discarded subscriptions.</summary>
public sealed class SubscriptionTests
{
    private const string Node = """
        using ReactiveStore;
        namespace Demo;
        [StateNode("shop")]
        public partial class Shop
        {
            public partial decimal Price { get; set; }
            public partial StateMap<Line> Lines { get; }
        }
        [StateNode] public partial class Line { public partial decimal Amount { get; set; } }
        """;

    [Fact]
    public Task Discarded_subscriptions_are_reported_on_the_call() => AnalyzerHarness.VerifyAsync(
        "RST0010",
        """
        using System;
        using ReactiveStore;
        namespace Demo;
        public sealed class Observer : IObserver<StateEvent>
        {
            public void OnCompleted() { }
            public void OnError(Exception error) { }
            public void OnNext(StateEvent value) { }
        }
        public sealed class View
        {
            public void Start(StateStore store, Shop shop, Shop? maybe)
            {
                [|store.Subscribe("users.*", static e => { })|];
                _ = [|store.Subscribe("users", static e => default)|];
                [|shop.SubscribePrice(static change => { })|];
                [|shop.SubscribeAll(static e => { })|];
                [|shop.Lines.SubscribeAll(static e => { })|];
                [|maybe?.SubscribeAll(static e => { })|];
                [|store.Observe("users").Subscribe(new Observer())|];
                [|shop.PriceChanges.Subscribe(new PriceObserver())|];
            }
        }
        public sealed class PriceObserver : IObserver<decimal>
        {
            public void OnCompleted() { }
            public void OnError(Exception error) { }
            public void OnNext(decimal value) { }
        }
        """,
        [
            "The Subscription returned by 'StateStore.Subscribe' is discarded, so the subscription can never be disposed",
            "'StateStore.Subscribe'",
            "'Shop.SubscribePrice'",
            "'Shop.SubscribeAll'",
            "'StateMap<Line>.SubscribeAll'",
            "'Shop.SubscribeAll'",
            "The IDisposable returned by 'IObservable<StateEvent>.Subscribe'",
            "'IObservable<decimal>.Subscribe'",
        ],
        Node);

    [Fact]
    public Task Kept_subscriptions_are_not_reported() => AnalyzerHarness.VerifyNoneAsync(
        [
            """
            using System;
            using System.Collections.Generic;
            using ReactiveStore;
            namespace Demo;
            public sealed class View : IDisposable
            {
                private readonly List<IDisposable> _all = new();
                private Subscription? _price;

                public Subscription Start(StateStore store, Shop shop, IObservable<int> other, IObserver<int> observer)
                {
                    using var a = store.Subscribe("users.*", static e => { });
                    _price = shop.SubscribePrice(static change => { });
                    _all.Add(shop.SubscribeAll(static e => { }));
                    other.Subscribe(observer);                 // not a store observable
                    store.Unsubscribe(1);
                    Func<Subscription> later = () => store.Subscribe("x", static e => { });
                    using (store.Subscribe("y", static e => { })) { }
                    return shop.Lines.SubscribeAll(static e => { });
                }

                public void Dispose() => _price?.Dispose();
            }
            """,
            Node,
        ],
        "RST0010");
}
