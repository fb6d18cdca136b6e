using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Uplink.Commands;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Drives;

internal static class DrivesServiceCollectionExtensions
{
    /// <summary>The drive recorder (the <c>recordDrive</c> command's and <c>dce-agent record</c>'s) and the frame tap that feeds it.</summary>
    public static IServiceCollection AddDrives(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSections([AgentConfiguration.Drives], configuration);
        services.AddSingleton<DriveFrameTap>();
        services.AddSingleton<DriveRecorder>();
        services.AddSingleton<IDriveRecorder>(sp => sp.GetRequiredService<DriveRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<DriveRecorder>());
        return services;
    }

    /// <summary><c>dce-agent record</c>: one drive as the command line asks, then stop.</summary>
    public static IServiceCollection AddRecordCommand(this IServiceCollection services, TextWriter output)
    {
        services.AddSingleton(sp => new RecordCommandService(
            sp.GetRequiredService<AgentCommandLine>(), sp.GetRequiredService<DriveRecorder>(),
            sp.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>(), output));
        services.AddHostedService(sp => sp.GetRequiredService<RecordCommandService>());
        return services;
    }
}
