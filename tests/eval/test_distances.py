"""The distance distribution that `fieldreport eval` reports beside "place within 25 km"."""

from fieldreport.eval.gold import Distances


def test_distances_report_median_and_shares_of_records_with_a_place():
    d = Distances()
    d.add((10.0, 10.0), (10.0, 10.0))      # 0 km
    d.add((10.0, 10.0), (10.1, 10.0))      # about 11 km
    d.add((10.0, 10.0), (11.0, 10.0))      # about 111 km
    d.add(None, (10.0, 10.0))              # no place: not part of the distribution
    m = d.metrics()
    assert m["distance, median km (records with a place)"] == {"value": 11.1, "n": 3}
    assert m["distance, share within 25 km (records with a place)"]["value"] == round(2 / 3, 4)
    assert m["distance, share within 100 km (records with a place)"]["value"] == round(2 / 3, 4)


def test_no_places_no_distribution():
    assert Distances().metrics() == {}
