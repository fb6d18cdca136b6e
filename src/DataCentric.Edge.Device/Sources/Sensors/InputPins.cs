using System.Device.Gpio;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Device.Sources.Sensors;

/// <summary>
/// REVIEWED EXCEPTION to the passive guarantee (see src/BannedSymbols.txt): the one place that may
/// call <c>GpioController.OpenPin(int, PinMode)</c>, which is banned because the same call can make
/// a pin an output. The mode comes from <see cref="GpioInputMode"/>, which has no output member, and
/// is mapped here to input modes only; any other value is refused before the driver is touched.
/// </summary>
public static class InputPins
{
    public static PinMode ToPinMode(GpioInputMode mode) => mode switch
    {
        GpioInputMode.Input => PinMode.Input,
        GpioInputMode.InputPullUp => PinMode.InputPullUp,
        GpioInputMode.InputPullDown => PinMode.InputPullDown,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "GPIO pins are opened as inputs only."),
    };

    /// <summary>Opens <paramref name="pin"/> as an input with the given pull.</summary>
    public static void Open(GpioController controller, int pin, GpioInputMode mode)
    {
        ArgumentNullException.ThrowIfNull(controller);
        var pinMode = ToPinMode(mode);
        if (!controller.IsPinModeSupported(pin, pinMode))
        {
            throw new NotSupportedException($"GPIO pin {pin} does not support {pinMode}.");
        }

#pragma warning disable RS0030 // Reviewed: pinMode is one of Input, InputPullUp, InputPullDown (ToPinMode above).
        controller.OpenPin(pin, pinMode);
#pragma warning restore RS0030
    }
}
