using DataCentric.Edge.Fleet.Api;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>Error answers as problem details (application/problem+json), written by the source-generated context.</summary>
internal static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    public static IResult Of(int status, string title, string detail) =>
        Results.Json(new ApiProblem(title, status, detail), FleetApiJsonContext.Default.ApiProblem, ContentType, status);

    public static IResult BadRequest(string detail) => Of(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Unauthorized(string detail) => Of(StatusCodes.Status401Unauthorized, "Unauthorized", detail);

    public static IResult Forbidden(string detail) => Of(StatusCodes.Status403Forbidden, "Forbidden", detail);
}
