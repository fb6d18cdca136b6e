using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Metrics;
using DataCentric.Edge.FleetService.ObjectStore;
using DataCentric.Edge.FleetService.Receiving;
using DataCentric.Edge.FleetService.Tracking;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddFleetCatalog(builder.Configuration);
builder.Services.AddClipObjectStore(builder.Configuration);
builder.Services.AddDeviceTracker(builder.Configuration);
builder.Services.AddClipReceiver(builder.Configuration);
builder.Services.AddFleetApi(builder.Configuration);
var app = builder.Build();
app.MapFleetApi();
app.MapFleetMetrics();
await app.RunAsync();
