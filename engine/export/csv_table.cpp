#include "hearth/export/csv_table.hpp"

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hearth/core/errors.hpp"
#include "hearth/export/ogr_values.hpp"

namespace hearth {

std::unique_ptr<AtomicOutput> write_csv_table(const std::filesystem::path& file, const FeatureTable& table,
                                              const std::vector<std::pair<std::string, std::string>>& constant_columns) {
    auto out = std::make_unique<AtomicOutput>(file);
    auto fail = [&](const std::string& what) {
        const std::string gdal = CPLGetLastErrorMsg();
        throw OutputError(file.string() + ": " + what + (gdal.empty() ? "" : " (GDAL: " + gdal + ")"));
    };
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("CSV");
    if (!driver) throw OutputError("this GDAL has no CSV driver");
    CPLErrorReset();
    {
        GDALDatasetUniquePtr ds(driver->Create(out->temporary_path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) fail("cannot create the CSV");
        CPLStringList options;
        options.AddNameValue("LINEFORMAT", "LF");
        options.AddNameValue("STRING_QUOTING", "IF_NEEDED");
        OGRLayer* layer = ds->CreateLayer(out->temporary_path().stem().c_str(), nullptr, wkbNone, options.List());
        if (!layer) fail("cannot create the CSV");
        for (const auto& f : table.fields) {
            OGRFieldDefn defn(f.name.c_str(), ogr_field_type(f.type));
            if (layer->CreateField(&defn) != OGRERR_NONE) fail("cannot create column '" + f.name + "'");
        }
        for (const auto& [name, value] : constant_columns) {
            OGRFieldDefn defn(name.c_str(), OFTString);
            if (layer->CreateField(&defn) != OGRERR_NONE) fail("cannot create column '" + name + "'");
        }
        for (const auto& source : table.features) {
            OGRFeature row(layer->GetLayerDefn());
            for (std::size_t i = 0; i < source.values.size(); ++i) {
                const int at = static_cast<int>(i);
                set_ogr_value(row, at, source.values[i]);
            }
            for (std::size_t k = 0; k < constant_columns.size(); ++k)
                row.SetField(static_cast<int>(table.fields.size() + k), constant_columns[k].second.c_str());
            if (layer->CreateFeature(&row) != OGRERR_NONE) fail("cannot write row " + std::to_string(source.source_row));
        }
        CPLErrorReset();
        GDALClose(GDALDataset::ToHandle(ds.release()));
        if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal) fail("could not finish the CSV");
    }
    return out;
}

}  // namespace hearth
