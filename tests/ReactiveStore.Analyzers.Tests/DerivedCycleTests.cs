namespace ReactiveStore.Analyzers.Tests;

/// <summary>RST0003: cycles among derived members, in one class and across classes.</summary>
public sealed class DerivedCycleTests
{
    [Fact]
    public Task A_cycle_in_one_class_is_reported_on_every_member_with_the_chain() => AnalyzerHarness.VerifyAsync(
        "RST0003",
        """
        using ReactiveStore;
        [StateNode("shop")]
        public partial class Shop
        {
            public partial decimal Price { get; set; }
            [Derived] public partial decimal [|Total|] { get; }
            [Derived] public partial decimal [|Discount|] { get; }
            [Derived] public partial decimal [|Self|] { get; }
            [Derived] public partial decimal Fine { get; }
            private decimal ComputeTotal() => Price - Discount;
            private decimal ComputeDiscount() => Total > 100 ? 5 : 0;
            private decimal ComputeSelf() => Self + 1;
            private decimal ComputeFine() => Total * 2;
        }
        """,
        [
            "Derived member 'Total' depends on itself: Total → Discount → Total",
            "Derived member 'Discount' depends on itself: Discount → Total → Discount",
            "Derived member 'Self' depends on itself: Self → Self",
        ]);

    [Fact]
    public Task A_cycle_through_child_nodes_of_other_classes_is_reported_at_compilation_end() => AnalyzerHarness.VerifyAsync(
        "RST0003",
        """
        using ReactiveStore;
        [StateNode("a")]
        public partial class A
        {
            public partial B Child { get; }
            [Derived] public partial int [|Sum|] { get; }
            private int ComputeSum() => Child.Total + 1;
        }
        [StateNode]
        public partial class B
        {
            public partial StateMap<A> Items { get; }
            [Derived] public partial int [|Total|] { get; }
            private int ComputeTotal() => Items["first"].Sum;
        }
        """,
        [
            "Derived member 'Sum' depends on itself through other nodes: A.Sum → B.Total → A.Sum",
            "Derived member 'Total' depends on itself through other nodes: B.Total → A.Sum → B.Total",
        ]);

    [Fact]
    public Task Derived_chains_without_a_cycle_are_not_reported() => AnalyzerHarness.VerifyNoneAsync(
        [
            """
            using ReactiveStore;
            [StateNode("shop")]
            public partial class Shop
            {
                public partial decimal TaxRate { get; set; }
                public partial Cart Cart { get; }
                public partial StateMap<Line> Lines { get; }
                [Derived] public partial decimal Total { get; }
                [Derived] public partial decimal WithTax { get; }
                [Derived] public partial decimal Display { get; }
                private decimal ComputeTotal() => Cart.Subtotal + Lines["a"].Amount;
                private decimal ComputeWithTax() => Total * (1 + TaxRate);
                private decimal ComputeDisplay() => WithTax + Total;
            }
            [StateNode]
            public partial class Cart
            {
                public partial decimal Price { get; set; }
                [Derived] public partial decimal Subtotal { get; }
                private decimal ComputeSubtotal() => Price * 2;
            }
            [StateNode]
            public partial class Line
            {
                public partial decimal Price { get; set; }
                [Derived] public partial decimal Amount { get; }
                private decimal ComputeAmount() => Price;
            }
            """,
        ],
        "RST0003");
}
