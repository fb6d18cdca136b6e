using System.Device.I2c;

namespace DataCentric.Edge.Device.Sources.Sensors;

/// <summary>Raised when something asks the I2C bus for a write the passive guarantee does not allow.</summary>
public sealed class PassiveWriteRefusedException : InvalidOperationException
{
    public PassiveWriteRefusedException()
    {
    }

    public PassiveWriteRefusedException(string message)
        : base(message)
    {
    }

    public PassiveWriteRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// REVIEWED EXCEPTION to the passive guarantee (see src/BannedSymbols.txt): the single place that
/// may write to an I2C bus. Reading a sensor register needs the register address written first, so
/// a one-byte write (the address) and a write-read with a one-byte address pass. Everything longer
/// is a write of data and is refused, with one bounded exception: while the sensor binding is being
/// constructed (<see cref="BeginConfiguration"/>), writes to that sensor's listed configuration
/// registers pass, because the Iot.Device.Bindings IMU constructors wake and configure the chip.
/// After <see cref="EndConfiguration"/> no data write passes again. Wrap the real device in this
/// and hand the wrapper to the binding; the binding cannot reach the bus any other way.
/// </summary>
public sealed class RegisterReadI2cDevice(I2cDevice device, IReadOnlySet<byte> configurationRegisters) : I2cDevice
{
    private bool _configuring;
    private long _refused;

    public override I2cConnectionSettings ConnectionSettings => device.ConnectionSettings;

    /// <summary>Data writes refused so far (each also threw).</summary>
    public long RefusedWrites => Interlocked.Read(ref _refused);

    /// <summary>Writes that passed as configuration, for the log: register and length.</summary>
    public IList<(byte Register, int Length)> ConfigurationWrites { get; } = [];

    public void BeginConfiguration() => _configuring = true;

    public void EndConfiguration() => _configuring = false;

    public override void Read(Span<byte> buffer) => device.Read(buffer);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Check(buffer);
#pragma warning disable RS0030 // Reviewed: Check allows a register address, or configuration during construction only.
        device.Write(buffer);
#pragma warning restore RS0030
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Check(writeBuffer);
#pragma warning disable RS0030 // Reviewed: as above; a write-read is a register read when the write is the address.
        device.WriteRead(writeBuffer, readBuffer);
#pragma warning restore RS0030
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            device.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Check(ReadOnlySpan<byte> written)
    {
        if (written.Length <= 1)
        {
            return;
        }

        if (_configuring && configurationRegisters.Contains(written[0]))
        {
            ConfigurationWrites.Add((written[0], written.Length - 1));
            return;
        }

        Interlocked.Increment(ref _refused);
        throw new PassiveWriteRefusedException(
            $"I2C 0x{ConnectionSettings.DeviceAddress:X2} on bus {ConnectionSettings.BusId}: a {written.Length - 1}-byte write to register 0x{written[0]:X2} was refused; " +
            (_configuring ? "it is not one of the sensor's configuration registers" : "only register reads are allowed after the sensor is configured"));
    }
}
