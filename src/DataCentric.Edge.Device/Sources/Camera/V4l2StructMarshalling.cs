using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>
/// Keeps the structure marshalling data of Iot.Device.Media's V4L2 structs in the Native AOT agent.
/// The library sizes its ioctl numbers with <c>Marshal.SizeOf(Type)</c> on a parameter, which the AOT
/// compiler cannot see through, so without this every V4L2 open failed with "missing structure
/// marshalling data" (found by tests/DataCentric.Edge.AotChecks). Each struct named here as a literal
/// is what the compiler can see; the calls themselves only size the structs.
/// </summary>
internal static class V4l2StructMarshalling
{
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Each type is a literal, which is what lets the AOT compiler keep its marshalling data.")]
    public static void Ensure()
    {
        // STREAMON/STREAMOFF and a few controls are sized on a plain integer.
        _ = Marshal.SizeOf(typeof(uint));
        _ = Marshal.SizeOf(typeof(int));
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_capability, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_queryctrl, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_control, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_fmtdesc, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_pix_format, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_rect, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_clip, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_window, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_vbi_format, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_sliced_vbi_format, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_sdr_format, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_meta_format, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+V412_Fmt, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_format, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_fract, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_cropcap, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_crop, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_requestbuffers, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_timeval, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_timecode, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_buffer, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_frmsizeenum, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_frmsize_discrete, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+v4l2_frmsize_stepwise, Iot.Device.Bindings", throwOnError: true)!);
        _ = Marshal.SizeOf(Type.GetType("InteropVideodev2+V4l2FrameBuffer, Iot.Device.Bindings", throwOnError: true)!);
    }
}
