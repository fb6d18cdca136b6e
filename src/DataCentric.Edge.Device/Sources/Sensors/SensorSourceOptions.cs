using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Device.Sources.Sensors;

/// <summary>Pull resistor of a GPIO input; there is no output mode to choose.</summary>
public enum GpioInputMode
{
    Input,
    InputPullUp,
    InputPullDown,
}

/// <summary>One GPIO input published as a Bool signal, e.g. a brake-pedal switch.</summary>
public sealed class GpioInputOptions
{
    [Range(0, 1023)]
    public int Pin { get; set; }

    /// <summary>Full signal name, e.g. <c>driver.brake_pedal</c>.</summary>
    public string Signal { get; set; } = string.Empty;

    public GpioInputMode Mode { get; set; } = GpioInputMode.Input;

    /// <summary>The switch pulls the line low when pressed.</summary>
    public bool ActiveLow { get; set; }

    /// <summary>Edges closer than this to the last accepted one are contact bounce.</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(20);
}

/// <summary>GPIO inputs; pins are opened in input modes only.</summary>
public sealed class GpioSourceOptions : IValidatableObject
{
    public const string SectionName = "Sources:Gpio";

    public IList<GpioInputOptions> Inputs { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Inputs.Count; i++)
        {
            var input = Inputs[i];
            if (string.IsNullOrWhiteSpace(input.Signal))
            {
                yield return new ValidationResult($"Inputs:{i}: Signal is required", [nameof(Inputs)]);
            }

            if (input.Debounce < TimeSpan.Zero)
            {
                yield return new ValidationResult($"Inputs:{i}: Debounce must not be negative", [nameof(Inputs)]);
            }
        }

        foreach (var pin in Inputs.GroupBy(i => i.Pin).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"Inputs: pin {pin.Key} is listed {pin.Count()} times", [nameof(Inputs)]);
        }
    }
}

/// <summary>Which Iot.Device.Bindings IMU binding reads the sensor.</summary>
public enum ImuBinding
{
    /// <summary>No IMU.</summary>
    None,
    Mpu6050,
    Bno055,
}

/// <summary>An I2C IMU publishing <c>imu.*</c> signals.</summary>
public sealed class ImuSourceOptions : IValidatableObject
{
    public const string SectionName = "Sources:Imu";

    public ImuBinding Binding { get; set; } = ImuBinding.None;

    /// <summary>The N of <c>/dev/i2c-N</c>.</summary>
    [Range(0, 255)]
    public int BusId { get; set; } = 1;

    /// <summary>7-bit address in decimal (104 for 0x68); 0 takes the binding's default (0x68 MPU6050, 0x28 BNO055).</summary>
    [Range(0, 0x7F)]
    public int Address { get; set; }

    [Range(1, 1000)]
    public double SampleHz { get; set; } = 50;

    [Required]
    [RegularExpression("^[a-z][a-z0-9_]*$")]
    public string SignalPrefix { get; set; } = "imu";

    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryMaxDelay < RetryInitialDelay)
        {
            yield return new ValidationResult($"RetryMaxDelay ({RetryMaxDelay}) is shorter than RetryInitialDelay ({RetryInitialDelay})", [nameof(RetryMaxDelay)]);
        }
    }
}
