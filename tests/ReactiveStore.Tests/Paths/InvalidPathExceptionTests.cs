using System;

namespace ReactiveStore.Tests.Paths;

public class InvalidPathExceptionTests
{
    [Fact]
    public void ConstructorsSetInputAndPosition()
    {
        var plain = new InvalidPathException();
        Assert.Null(plain.Input);
        Assert.Equal(-1, plain.Position);
        Assert.False(string.IsNullOrEmpty(plain.Message));

        var withMessage = new InvalidPathException("bad");
        Assert.Equal("bad", withMessage.Message);
        Assert.Equal(-1, withMessage.Position);

        var inner = new InvalidOperationException();
        var withInner = new InvalidPathException("bad", inner);
        Assert.Same(inner, withInner.InnerException);
        Assert.Equal(-1, withInner.Position);

        var full = new InvalidPathException("bad", "a..b", 2);
        Assert.Equal("bad", full.Message);
        Assert.Equal("a..b", full.Input);
        Assert.Equal(2, full.Position);
    }

    [Fact]
    public void IsAnArgumentExceptionNotAFormatException()
    {
        Exception ex = new InvalidPathException("bad");
        Assert.IsAssignableFrom<ArgumentException>(ex);
        Assert.False(ex is FormatException);
    }
}
