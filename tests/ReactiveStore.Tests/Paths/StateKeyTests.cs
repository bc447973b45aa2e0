using System;

namespace ReactiveStore.Tests.Paths;

public class StateKeyTests
{
    [Fact]
    public void KeyCarriesPathAndValueType()
    {
        var key = new StateKey<int>("users.alice.age");
        Assert.Equal(StatePath.Parse("users.alice.age"), key.Path);
        Assert.Equal(typeof(int), key.ValueType);
        Assert.Equal("users.alice.age", key.ToString());
        StatePath path = key;
        Assert.Equal(key.Path, path);
        Assert.Equal(key.Path, key.ToStatePath());
    }

    [Fact]
    public void KeyFromStatePath()
    {
        StatePath path = StatePath.Parse("a.b");
        var key = new StateKey<string>(path);
        Assert.Equal(path, key.Path);
        Assert.Equal(typeof(string), key.ValueType);
    }

    [Fact]
    public void RootIsNotAKey()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new StateKey<int>(StatePath.Root));
        Assert.Equal("path", ex.ParamName);
        Assert.Throws<InvalidPathException>(() => new StateKey<int>(""));
    }

    [Fact]
    public void InvalidTextThrowsInvalidPath()
    {
        InvalidPathException ex = Assert.Throws<InvalidPathException>(() => new StateKey<int>("a..b"));
        Assert.Equal("Invalid path 'a..b': segment 2 is empty (at position 2).", ex.Message);
        Assert.Throws<ArgumentNullException>(() => new StateKey<int>((string)null!));
    }

    [Fact]
    public void EqualityFollowsThePath()
    {
        var a = new StateKey<int>("a.b");
        var b = new StateKey<int>(StatePath.Parse("a.b"));
        var c = new StateKey<int>("a.c");
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a != c);
        Assert.True(a.Equals(b));
        Assert.True(a.Equals((object)b));
        Assert.False(a.Equals((object)new StateKey<long>("a.b")));
        Assert.False(a.Equals(null));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }
}
