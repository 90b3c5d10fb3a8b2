using VaeGpu.Runtime;

namespace VaeGpu.Tests.Data;

public static class SettingErrorAssert
{
    /// <summary>
    /// action throws an InvalidSettingException that names <paramref name="setting"/> (its ParamName) and whose message
    /// is one line and contains every fragment (ignoring case); returns the message.
    /// </summary>
    public static string Throws(TestDelegate action, string setting, params string[] fragments)
    {
        var error = Assert.Throws<InvalidSettingException>(action)!;
        Assert.That(error.ParamName, Is.EqualTo(setting));
        Assert.That(error.Message, Does.Not.Contain('\n').And.Not.Contain('\r'), "one line");
        foreach (string fragment in fragments) Assert.That(error.Message, Does.Contain(fragment).IgnoreCase);
        return error.Message;
    }
}
