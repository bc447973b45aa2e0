namespace ReactiveStore.Analyzers.Tests;

/// <summary>RST0007 and RST0008: the bodies of compute methods.</summary>
public sealed class ComputeMethodTests
{
    [Fact]
    public Task RST0007_side_effects_are_reported_where_they_happen() => AnalyzerHarness.VerifyAsync(
        "RST0007",
        """
        using System;
        using System.ComponentModel;
        using ReactiveStore;
        [StateNode("shop")]
        public partial class Shop
        {
            private int _calls;
            private static int s_total;
            public event EventHandler? Computed;
            public partial decimal Price { get; set; }
            public partial Cart Cart { get; }
            [Derived] public partial decimal Total { get; }
            private decimal ComputeTotal()
            {
                [|_calls++|];
                [|s_total = 3|];
                [|Price = 4|];
                [|Cart.Count = 2|];
                [|Store.Set("shop.other", 1)|];
                [|Store.Delete("shop.other")|];
                [|Store.Batch(static w => { })|];
                [|Computed?.Invoke(this, EventArgs.Empty)|];
                [|Cart.Count += 1|];
                return Price;
            }
        }
        [StateNode] public partial class Cart { public partial int Count { get; set; } }
        """,
        [
            "Compute method 'ComputeTotal' increments '_calls'; a compute method must only read state and return a value",
            "assigns to 's_total', which is not a local variable",
            "writes the state member 'Price'",
            "writes the state member 'Count'",
            "calls 'StateStore.Set'",
            "calls 'StateStore.Delete'",
            "calls 'StateStore.Batch'",
            "raises the event 'Computed'",
            "writes the state member 'Count'",
        ]);

    [Fact]
    public Task RST0007_is_not_reported_for_locals_and_pure_code() => AnalyzerHarness.VerifyNoneAsync(
        [
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Text;
            using ReactiveStore;
            [StateNode("shop")]
            public partial class Shop
            {
                public partial decimal Price { get; set; }
                public partial int Count { get; set; }
                public partial StateMap<Line> Lines { get; }
                [Derived] public partial decimal Total { get; }
                [Derived] public partial string Text { get; }
                private decimal ComputeTotal()
                {
                    decimal sum = 0;
                    int i = 0;
                    i++;
                    sum += Price;
                    var buffer = new decimal[2];
                    buffer[0] = sum;
                    var list = new List<decimal> { sum };
                    list.Add(Price);
                    (decimal a, decimal b) = (sum, Price);
                    Func<int, int> twice = x => { x *= 2; return x; };
                    _ = twice(Count);
                    foreach (string key in Lines.Keys) { sum += Lines[key].Amount; }
                    return Math.Max(sum, a + b) + list.Sum() + buffer[0] + Store.Get<int>("shop.count");
                }

                private string ComputeText()
                {
                    var builder = new StringBuilder();
                    builder.Append(Price);
                    builder.Length = builder.Length;
                    return builder.ToString();
                }
            }
            [StateNode] public partial class Line { public partial decimal Amount { get; set; } }
            """,
        ],
        "RST0007");

    [Fact]
    public Task RST0008_reads_of_fields_and_settable_non_state_properties_are_reported() => AnalyzerHarness.VerifyAsync(
        "RST0008",
        """
        using ReactiveStore;
        [StateNode("shop")]
        public partial class Shop
        {
            private decimal _factor = 2;
            private static decimal s_bonus;
            public decimal Rate { get; set; }
            public partial decimal Price { get; set; }
            [Derived] public partial decimal Total { get; }
            private decimal ComputeTotal() => Price * [|_factor|] + [|s_bonus|] + [|Rate|] + [|this._factor|];
        }
        """,
        [
            "Compute method 'ComputeTotal' reads the field '_factor', which is not state: 'Total' will not update when it changes",
            "reads the static field 's_bonus'",
            "reads the property 'Rate'",
            "reads the field '_factor'",
        ]);

    [Fact]
    public Task RST0008_is_not_reported_for_state_constants_readonly_locals_and_pure_methods() => AnalyzerHarness.VerifyNoneAsync(
        [
            """
            using System;
            using ReactiveStore;
            [StateNode("shop")]
            public partial class Shop
            {
                private const decimal Factor = 2;
                private static readonly decimal s_bonus = 1;
                private readonly decimal _fixed = 3;
                public decimal Fixed { get; } = 4;
                public decimal Doubled => Price * 2;
                public decimal InitOnly { get; init; }
                private decimal _notRead;
                public partial decimal Price { get; set; }
                public partial Cart Cart { get; }
                [Derived] public partial decimal Subtotal { get; }
                [Derived] public partial decimal Total { get; }
                private decimal ComputeSubtotal() => Cart.Amount + Price;
                private decimal ComputeTotal()
                {
                    decimal local = Subtotal * Factor + s_bonus + _fixed + Fixed + Doubled + InitOnly;
                    var pair = (A: 1m, B: 2m);
                    string path = Path.ToString() + Store.Count;
                    return Math.Round(local + pair.A + decimal.One + Helper(path.Length), 2);
                }

                private static decimal Helper(int length) => length;

                public void Touch() => _notRead = Price;
            }
            [StateNode] public partial class Cart { public partial decimal Amount { get; set; } }
            """,
        ],
        "RST0008");
}
