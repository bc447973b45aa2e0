namespace ReactiveStore;
/// <summary>x</summary>
public static class Placeholder { }
