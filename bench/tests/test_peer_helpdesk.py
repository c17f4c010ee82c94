from bench import peer_helpdesk
from bench.report import format_machine


def test_requirements_install_exactly_the_pinned_versions():
    assert peer_helpdesk.PEER_REQUIREMENTS == [
        "django-helpdesk==2.6.1",
        "Django==5.2.19",
        "djangorestframework==3.18.3",
        "gunicorn==27.0.1",
        "psycopg[binary]==3.3.9",
    ]


def test_first_page_asks_for_25_rows_newest_first_like_datatables():
    params = peer_helpdesk.first_page_params()
    assert params["start"] == "0"
    assert params["length"] == "25"
    assert params["columns[5][data]"] == "created"
    assert (params["order[0][column]"], params["order[0][dir]"]) == ("5", "desc")
    assert params["columns[11][data]"] == "kbitem"


def test_first_opening_of_the_list_sends_no_order():
    params = peer_helpdesk.first_page_params(order_column=None)
    assert not [k for k in params if k.startswith("order")]


def test_postgres_target_reads_the_admin_url(monkeypatch):
    monkeypatch.setattr(peer_helpdesk, "PG_ADMIN_URL", "postgres://u:p%40ss@db.local:6543/x")
    env = peer_helpdesk.Database("postgres").env
    assert env == {
        "PEER_DB_ENGINE": "postgres",
        "PEER_DB_NAME": "pulih_bench_peer",
        "PEER_DB_USER": "u",
        "PEER_DB_PASSWORD": "p@ss",
        "PEER_DB_HOST": "db.local",
        "PEER_DB_PORT": "6543",
    }


def test_section_quotes_figures_versions_and_machine():
    machine = {"nproc": 2, "cpu": "CPU", "memory_gib": 24.0, "os": "Linux", "python": "3.11.7"}
    run = {
        "date": "2026-11-23 22:00 UTC",
        "machine": machine,
        "versions": dict(peer_helpdesk.PEER_PINS),
        "peer_python": "3.11.7",
        "tickets": 100_000,
        "reps": 30,
        "warmup": 3,
        "elapsed_s": 80.0,
        "results": [
            {
                "db": "sqlite",
                "db_version": "SQLite 3.40.1",
                "p50_ms": 986.0,
                "p95_ms": 1147.0,
                "records_total": 29_890,
                "rows": 25,
                "bytes": 11_829,
                "elapsed_s": 40.0,
                "seeded": {"migrate_s": 6.0, "seed_s": 9.6},
                "sql": {
                    "queries": 71,
                    "sql_ms": 2_428,
                    "slowest": [{"ms": 962, "sql": "SELECT DISTINCT x"}],
                },
            }
        ],
    }
    text = peer_helpdesk.section(run)
    assert format_machine(machine) in text
    assert "django-helpdesk 2.6.1 on Django 5.2.19" in text
    assert "| django-helpdesk ticket list, first page, sqlite | 986 | 1,147 |" in text
    assert "Pulih's case list p50 ≤ 98.6 ms" in text
    assert (
        "| sqlite | SQLite 3.40.1 | 29,890 | 25 | 11.6 KiB | 71 | 2,428 ms | 6.0 s | 9.6 s "
        "| 40.0 s |" in text
    )
    assert "- sqlite: 962 ms `SELECT DISTINCT x…`" in text


def test_a_busy_machine_is_flagged_next_to_the_figures():
    idle = {"machine": {"nproc": 2, "load": [0.5, 0.4, 0.3]}, "load_after": [1.9, 1.0, 0.5]}
    busy = {"machine": {"nproc": 2, "load": [0.5, 0.4, 0.3]}, "load_after": [4.5, 3.0, 2.0]}
    assert peer_helpdesk.busy_warning(idle) == []
    assert "load average up to 4.5 on 2 CPUs" in peer_helpdesk.busy_warning(busy)[1]
