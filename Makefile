# paperd: the commands a new machine needs. `make run` and `make test` install what is missing.
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo

.PHONY: deps build run test bench fmt clean

deps:
	scripts/install-deps

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD)

run: build
	$(BUILD)/paperd serve

test: build
	cd $(BUILD) && ctest --output-on-failure --timeout 900 -j $$(nproc)

bench: build
	scripts/install-deps bench
	bench/run
	for b in bench/*.sh; do [ $$b = bench/lib.sh ] || $$b $(BUILD)/paperd || echo "$$b failed"; done

fmt:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
