using System.Runtime.InteropServices;
using DataCentric.Edge.Device.Inference;

namespace DataCentric.Edge.Device.Tests.Inference.Runtime;

/// <summary>
/// The opt-out reaches native code: ONNX Runtime reads it with getenv, which .NET's own environment
/// does not change on Linux; and an operator's own value is kept.
/// </summary>
[Trait("Category", "Unit")]
public sealed class OnnxRuntimeTelemetryTests
{
    [Fact]
    public void OptOut_SetsEachVariableForNativeCode_AndKeepsAValueTheOperatorSet()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "libc's environment is what the Linux builds read");
        var (first, second) = (OnnxRuntimeTelemetry.OptOutVariables[0], OnnxRuntimeTelemetry.OptOutVariables[1]);
        var before = OnnxRuntimeTelemetry.OptOutVariables.Select(OnnxRuntimeTelemetry.NativeValue).ToList();
        try
        {
            Assert.Equal(0, UnsetEnv(first));
            Assert.Equal(0, SetEnv(second, "0", 1));

            OnnxRuntimeTelemetry.OptOut();

            Assert.Equal("1", OnnxRuntimeTelemetry.NativeValue(first));
            Assert.Equal("0", OnnxRuntimeTelemetry.NativeValue(second));
        }
        finally
        {
            // As they were, for the other tests in this process and the processes they start.
            foreach (var (name, value) in OnnxRuntimeTelemetry.OptOutVariables.Zip(before))
            {
                _ = value is null ? UnsetEnv(name) : SetEnv(name, value, 1);
            }
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "unsetenv")]
    private static extern int UnsetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
